# Create .venv and install the project with its pinned dependencies (Windows PowerShell 5+ / pwsh).
# Every package at the version of constraints.txt (the dependencies' own too).
# Idempotent: does nothing when pyproject.toml, sdk/pyproject.toml and constraints.txt are unchanged.
# --for-tests also installs what only the tests need: Chromium for the end-to-end tests.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$forTests = $args -contains "--for-tests"

# A candidate is a command line: "py -3.12" (the Windows launcher) or "python3".
function Invoke-Candidate([string]$candidate, [string[]]$arguments) {
    $parts = $candidate.Split(" ")
    $rest = @($parts | Select-Object -Skip 1) + $arguments
    & $parts[0] @rest
}
function Test-Modern([string]$candidate) {
    try {
        Invoke-Candidate $candidate @("-c", "import sys; sys.exit(sys.version_info < (3, 11))") 2>$null
        return $LASTEXITCODE -eq 0
    } catch { return $false }
}
$python = $env:PYTHON
if (-not $python) {
    foreach ($candidate in @("py -3.13", "py -3.12", "py -3.11", "python3", "python")) {
        if (Test-Modern $candidate) { $python = $candidate; break }
    }
}
if (-not $python -or -not (Test-Modern $python)) {
    Write-Error "Python 3.11 or newer is required (set `$env:PYTHON to its path)"; exit 1
}

$venvPython = if ($IsLinux -or $IsMacOS) { ".venv/bin/python" } else { ".venv\Scripts\python.exe" }
if (-not (Test-Path $venvPython)) {
    Write-Host "==> creating virtual environment in .venv"
    Invoke-Candidate $python @("-m", "venv", ".venv")
}

$hash = (Get-FileHash -InputStream ([IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes(
    (Get-Content pyproject.toml -Raw) + (Get-Content sdk/pyproject.toml -Raw) +
    (Get-Content constraints.txt -Raw))))).Hash.Substring(0, 16)
$stamp = ".venv/.installed-ps-$hash"
$log = ".venv/setup.log"
# The editable installs' build prints pages of setuptools notices: kept in the log, shown on failure.
function Assert-Quiet([string]$step) {
    if ($LASTEXITCODE -ne 0) {
        Write-Host "error: failed: $step; its output ($log):"
        Get-Content $log -Tail 80
        exit 1
    }
}
if (-not (Test-Path $stamp)) {
    Write-Host "==> installing Python dependencies (pinned in pyproject.toml and constraints.txt; a few minutes the first time)"
    Set-Content $log ""
    # Windows PowerShell stops at a native command's first stderr line under "Stop": pip's
    # notices would end the install. Each step's exit code is checked instead.
    $ErrorActionPreference = "Continue"
    & $venvPython -m pip install --quiet --upgrade -c constraints.txt pip *>> $log
    Assert-Quiet "pip upgrade"
    & $venvPython -m pip install --quiet -c constraints.txt -e ".[dev,sdk]" *>> $log
    Assert-Quiet "the project's install"
    & $venvPython -m pip install --quiet --no-deps -e ./sdk *>> $log
    Assert-Quiet "the SDK's install"
    # A pin removed since this venv was made leaves its package behind: removed, so that the
    # venv holds what a fresh clone installs.
    $unpinned = @(& $venvPython scripts/unpinned.py)
    if ($unpinned.Count -gt 0) {
        & $venvPython -m pip uninstall --quiet -y @unpinned *>> $log
        Assert-Quiet "removing packages no longer pinned"
    }
    $ErrorActionPreference = "Stop"
    Remove-Item .venv/.installed-ps-* -ErrorAction SilentlyContinue
    New-Item -ItemType File $stamp | Out-Null
}

if (Test-Path frontend/package.json) {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) {
        # The API runs without it (no web UI at /); the tests need it, so CI fails here.
        Write-Warning "Node.js 20+ (npm) is needed to build and test the web UI in frontend/ (https://nodejs.org)"
        if ($env:CI -in @("1", "true", "yes")) { exit 1 }
    } elseif (-not (Test-Path frontend/node_modules)) {
        Write-Host "==> installing frontend dependencies (npm)"
        Push-Location frontend; npm ci; Pop-Location
    }
}

# The browser tests drive a system Chromium through playwright-core (no browser download):
# /usr/bin/chromium on Linux (apt-get install chromium), or set CHROMIUM_PATH (e.g. to chrome.exe).
# The tests' need alone, so running the system does not install it.
if ($forTests -and (Test-Path frontend/package.json) -and -not $env:CHROMIUM_PATH -and -not (Test-Path /usr/bin/chromium)) {
    if ((Get-Command apt-get -ErrorAction SilentlyContinue)) {
        Write-Host "==> installing chromium for the end-to-end tests (apt-get)"
        $sudo = if ((& id -u) -ne "0") { "sudo" } else { "" }
        if ($sudo) { & sudo -n apt-get update -qq; & sudo -n apt-get install -y -qq chromium }
        else { & apt-get update -qq; & apt-get install -y -qq chromium }
    } else {
        Write-Warning "set CHROMIUM_PATH to a Chromium or Chrome executable for the end-to-end tests"
    }
}
