# The whole test suite: lint, types, the web UI (typecheck, build, Vitest), every pytest suite
# (embedded, PostgreSQL + Redis + Celery), then the end-to-end tests in headless Chromium.
# $env:SKIP_FRONTEND = "1" runs only the Python steps.
#
# --quick: ruff, mypy, and the tests of core/, commands/ (domain, store, audit) and query_api/
# (the API), and the layers' imports, on the embedded system alone (no PostgreSQL, Redis or
# worker, no test that runs alone, no web UI). Other arguments go to pytest.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$quick = $args.Count -gt 0 -and $args[0] -eq "--quick"
$rest = if ($quick) { @($args | Select-Object -Skip 1) } else { @($args) }
if ($quick) { & ./scripts/setup.ps1 } else { & ./scripts/setup.ps1 --for-tests }
$bin = if ($IsLinux -or $IsMacOS) { ".venv/bin" } else { ".venv\Scripts" }
$frontend = (-not $quick) -and (Test-Path frontend/package.json) -and ($env:SKIP_FRONTEND -ne "1")

Write-Host "==> ruff"
& "$bin/ruff" check .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "==> mypy"
& "$bin/mypy" .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
if ($quick) {
    # `postgres`: the backends' PostgreSQL parameters and the tests asking for a PostgreSQL
    # fixture (tests/conftest.py); `serial`: the tests that run alone.
    Write-Host "==> pytest, quick: core, commands and API tests, embedded"
    & "$bin/pytest" -n 2 -m "not serial and not postgres" `
        tests/test_layers.py tests/test_architecture_doc.py tests/test_readme_examples.py `
        tests/core tests/commands tests/query_api @rest
    exit $LASTEXITCODE
}
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
# Two at a time (one file's tests stay together), then alone what times itself or loads the
# machine (the `serial` marker). Status 5 is "no test selected", no failure.
$status = 0
Write-Host "==> pytest, two at a time"
& "$bin/pytest" -n 2 --dist loadfile -m "not serial" @rest
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 5) { $status = 1 }
Write-Host "==> pytest, alone"
& "$bin/pytest" -p no:xdist -m serial @rest
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 5) { $status = 1 }
if ($frontend) {
    Write-Host "==> web UI: end-to-end (headless Chromium)"
    Push-Location frontend; node e2e/run.mjs; if ($LASTEXITCODE -ne 0) { $status = 1 }
    $env:E2E_BACKEND = "distributed"; node e2e/run.mjs; if ($LASTEXITCODE -ne 0) { $status = 1 }
    Remove-Item Env:E2E_BACKEND; Pop-Location
}
exit $status
