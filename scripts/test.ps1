# The whole test suite: lint, types, then every pytest suite (embedded, PostgreSQL + Redis + Celery).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
& ./scripts/setup.ps1
$bin = if ($IsLinux -or $IsMacOS) { ".venv/bin" } else { ".venv\Scripts" }

Write-Host "==> ruff"
& "$bin/ruff" check .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "==> mypy"
& "$bin/mypy" .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "==> pytest"
& "$bin/pytest" @args
exit $LASTEXITCODE
