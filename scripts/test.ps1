# The whole test suite: lint, types, the web UI (typecheck, build, Vitest), every pytest suite
# (embedded, PostgreSQL + Redis + Celery), then the end-to-end tests in headless Chromium.
# $env:SKIP_FRONTEND = "1" runs only the Python steps.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
& ./scripts/setup.ps1 --for-tests
$bin = if ($IsLinux -or $IsMacOS) { ".venv/bin" } else { ".venv\Scripts" }
$frontend = (Test-Path frontend/package.json) -and ($env:SKIP_FRONTEND -ne "1")

Write-Host "==> ruff"
& "$bin/ruff" check .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "==> mypy"
& "$bin/mypy" .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
if ($frontend) {
    Push-Location frontend
    Write-Host "==> web UI: typecheck and build"
    npm run --silent build -- --logLevel warn
    if ($LASTEXITCODE -ne 0) { Pop-Location; exit $LASTEXITCODE }
    Write-Host "==> web UI: vitest"
    npx --no-install vitest run
    if ($LASTEXITCODE -ne 0) { Pop-Location; exit $LASTEXITCODE }
    Pop-Location
}
Write-Host "==> pytest"
& "$bin/pytest" @args
$status = $LASTEXITCODE
if ($frontend) {
    Write-Host "==> web UI: end-to-end (headless Chromium)"
    Push-Location frontend; node e2e/run.mjs; if ($LASTEXITCODE -ne 0) { $status = 1 }
    $env:E2E_BACKEND = "distributed"; node e2e/run.mjs; if ($LASTEXITCODE -ne 0) { $status = 1 }
    Remove-Item Env:E2E_BACKEND; Pop-Location
}
exit $status
