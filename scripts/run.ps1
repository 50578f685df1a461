# Run the whole system on the embedded default (SQLite file, Celery eager): one URL, no servers.
# $env:SEED = "1" also loads the sample data through the commands.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
& ./scripts/setup.ps1
$bin = if ($IsLinux -or $IsMacOS) { ".venv/bin" } else { ".venv\Scripts" }

$hostName = if ($env:HOST) { $env:HOST } else { "127.0.0.1" }
$port = if ($env:PORT) { $env:PORT } else { "8000" }
New-Item -ItemType Directory -Force data | Out-Null
$unix = $IsLinux -or $IsMacOS
# data/ holds password hashes, ticket codes, personal data and the signing keys: its owner's
# alone before anything is written in it (PowerShell has no umask; on Windows the folder keeps
# the checkout's access list). A data/ left readable by an earlier run is closed too.
if ($unix) { & chmod -R go-rwx data }
if (-not $env:ADMIN_EMAIL -or -not $env:ADMIN_PASSWORD) {
    # A first admin for the embedded default, generated once and kept in data/ (git-ignored).
    if (-not (Test-Path data/admin-credentials)) {
        $secret = & "$bin/python" -c "import secrets; print(secrets.token_urlsafe(12))"
        New-Item -ItemType File data/admin-credentials | Out-Null
        if ($unix) { & chmod 600 data/admin-credentials }  # before the password is in it
        "admin@ledger.example.com $secret" | Set-Content -NoNewline data/admin-credentials
    }
    $env:ADMIN_EMAIL, $env:ADMIN_PASSWORD = (Get-Content data/admin-credentials -Raw).Trim().Split(" ")
}
# The token signing secret, unless SECRET_KEY is set: made once in data/secret-key
# by the code the API reads it with, never the public placeholder.
& "$bin/python" -m ops.secret
if ($LASTEXITCODE -ne 0) { exit 1 }

Write-Host "==> migrating the database"
# Alembic names each migration it runs: kept in data/migrate.log, shown only when it fails.
$ErrorActionPreference = "Continue"  # Windows PowerShell would stop at Alembic's first stderr line
& "$bin/python" -m ops.migrate *> data/migrate.log
$migrated = $LASTEXITCODE
$ErrorActionPreference = "Stop"
if ($migrated -ne 0) { Get-Content data/migrate.log; exit 1 }
if ($env:SEED -eq "1") {
    Write-Host "==> loading the sample data (seed/data.json) through the commands"
    & "$bin/python" -m seed.load
    if ($LASTEXITCODE -ne 0) { exit 1 }  # e.g. refused with ENVIRONMENT=production
}
if ((Test-Path frontend/package.json) -and (Get-Command npm -ErrorAction SilentlyContinue)) {
    # The API serves the built UI at / (frontend/dist); `npm run dev` in frontend/ is for UI work.
    Write-Host "==> building the web UI (frontend/dist)"
    Push-Location frontend; npx --no-install vite build --logLevel warn; $built = $LASTEXITCODE; Pop-Location
    if ($built -ne 0) { exit 1 }
} elseif (-not (Test-Path frontend/dist/index.html)) {
    Write-Warning "without Node.js the web UI is not built; the API and /docs still run"
}
Write-Host ""
Write-Host "  Booking ledger on http://${hostName}:$port   (API docs: http://${hostName}:$port/docs)"
Write-Host "  admin login: $($env:ADMIN_EMAIL) / $($env:ADMIN_PASSWORD)"
Write-Host "  Ctrl-C stops it; the data stays in data/ for the next start."
Write-Host ""
# --no-proxy-headers: X-Forwarded-* are believed only from TRUSTED_PROXIES (the app's setting).
& "$bin/uvicorn" query_api.main:app --host $hostName --port $port --no-access-log --no-proxy-headers @args
