# The docker-compose topology as local processes on the local PostgreSQL and Redis: migrate once,
# the API in several processes, 2 Celery workers, a webhooks worker and beat. Ctrl-C stops them all.
# DATABASE_URL is the tables' owner's: only the migration uses it. The API and the workers connect
# as roles of their own with least privilege (ops/roles.py), which the migration sets up.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
& ./scripts/setup.ps1
$bin = if ($IsLinux -or $IsMacOS) { ".venv/bin" } else { ".venv\Scripts" }

if (-not $env:DATABASE_URL) { $env:DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/ledger" }
if (-not $env:CELERY_BROKER_URL) { $env:CELERY_BROKER_URL = "redis://127.0.0.1:6379/0" }
if (-not $env:CELERY_NAMESPACE) { $env:CELERY_NAMESPACE = "ledger" }
$hostName = if ($env:HOST) { $env:HOST } else { "127.0.0.1" }
$port = if ($env:PORT) { $env:PORT } else { "8000" }
$apiProcesses = if ($env:API_PROCESSES) { $env:API_PROCESSES } else { "3" }
$workers = if ($env:WORKERS) { [int]$env:WORKERS } else { 2 }
$runDir = if ($env:RUN_DIR) { $env:RUN_DIR } else { "data/distributed-$($env:CELERY_NAMESPACE)" }
New-Item -ItemType Directory -Force $runDir | Out-Null

Write-Host "==> checking PostgreSQL and Redis"
& "$bin/python" scripts/services_ready.py
if ($LASTEXITCODE -ne 0) { Write-Error "start PostgreSQL and Redis first (or set DATABASE_URL / CELERY_BROKER_URL)"; exit 1 }
Write-Host "==> migrating (once, before any process starts); the roles of the API and the workers"
# Each start gives them a fresh password (the migration sets it), unless their URLs are given.
$ownerUrl = $env:DATABASE_URL
$apiUrl = if ($env:API_DATABASE_URL) { $env:API_DATABASE_URL } else { & "$bin/python" -m ops.roles api }
$workerUrl = if ($env:WORKER_DATABASE_URL) { $env:WORKER_DATABASE_URL } else { & "$bin/python" -m ops.roles worker }
if ($LASTEXITCODE -ne 0) { exit 1 }
$env:API_DATABASE_URL = $apiUrl; $env:WORKER_DATABASE_URL = $workerUrl
& "$bin/python" -m ops.migrate
if ($LASTEXITCODE -ne 0) { exit 1 }
Remove-Item Env:API_DATABASE_URL, Env:WORKER_DATABASE_URL
# The API's token signing secret and the snapshots' seal (API and workers), unless given: each
# made once in $runDir (random, owner-only) and kept, so tokens outlive a restart.
function Get-Secret([string]$file) {
    & "$bin/python" -c "import pathlib, sys; from core.secretfile import read_or_create; print(read_or_create(pathlib.Path(sys.argv[1])))" "$runDir/$file"
}
$secretKey = if ($env:SECRET_KEY) { $env:SECRET_KEY } else { Get-Secret "secret-key" }
if (-not $env:SNAPSHOT_KEY) { $env:SNAPSHOT_KEY = Get-Secret "snapshot-key" }
if ($LASTEXITCODE -ne 0) { exit 1 }
Remove-Item Env:SECRET_KEY -ErrorAction SilentlyContinue  # the API's alone: see Start-Part

function Start-Part([string]$name, [string]$url, [string]$exe, [string[]]$arguments) {
    $env:DATABASE_URL = $url  # its own role's, inherited by the process started here
    if ($url -eq $apiUrl) { $env:SECRET_KEY = $secretKey }
    $p = Start-Process -PassThru -NoNewWindow -FilePath "$bin/$exe" -ArgumentList $arguments `
        -RedirectStandardOutput "$runDir/$name.log" -RedirectStandardError "$runDir/$name.err.log"
    $env:DATABASE_URL = $ownerUrl
    Remove-Item Env:SECRET_KEY -ErrorAction SilentlyContinue
    $p.Id | Set-Content "$runDir/$name.pid"
    Write-Host "    ${name}: pid $($p.Id) (log $runDir/$name.log)"
    return $p
}
$procs = @()
# Celery's prefork pool does not run on Windows: threads work everywhere.
for ($i = 1; $i -le $workers; $i++) {
    $procs += Start-Part "worker$i" $workerUrl "celery" @("-A", "workers.celery_app", "worker", "--pool", "threads",
        "--concurrency", "4", "--loglevel", "INFO", "-n", "worker$i-$($env:CELERY_NAMESPACE)@%h")
}
# Webhook deliveries on a queue and a worker of their own (no receiver holds up the others'
# work): workers/webhooks/worker.py picks the queue, and the pool where time limits hold.
$procs += Start-Part "webhooks" $workerUrl "python" @("-m", "workers.webhooks.worker",
    "--concurrency", "2", "--loglevel", "INFO", "-n", "webhooks-$($env:CELERY_NAMESPACE)@%h")
$procs += Start-Part "beat" $workerUrl "celery" @("-A", "workers.celery_app", "beat", "--loglevel", "INFO",
    "--schedule", "$runDir/celerybeat-schedule")
# uvloop (keeps TCP_NODELAY on accepted connections) only exists on Linux and macOS.
$loop = if ($IsLinux -or $IsMacOS) { "uvloop" } else { "auto" }
$api = Start-Part "api" $apiUrl "uvicorn" @("query_api.main:app", "--host", $hostName, "--port", $port,
    "--workers", $apiProcesses, "--loop", $loop, "--no-access-log", "--no-proxy-headers")
$procs += $api
Write-Host ""
Write-Host "  Booking ledger (distributed) on http://${hostName}:$port   (logs and pids: $runDir/)"
Write-Host ""
try { $api.WaitForExit() } finally {
    Write-Host "==> stopping"
    foreach ($p in $procs) { if (-not $p.HasExited) { Stop-Process -Id $p.Id -Force } }
}
