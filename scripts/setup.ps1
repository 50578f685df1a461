# Create .venv and install the project with its pinned dependencies (Windows PowerShell 5+ / pwsh).
# Idempotent: does nothing when pyproject.toml and sdk/pyproject.toml are unchanged.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

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
    (Get-Content pyproject.toml -Raw) + (Get-Content sdk/pyproject.toml -Raw))))).Hash.Substring(0, 16)
$stamp = ".venv/.installed-ps-$hash"
if (-not (Test-Path $stamp)) {
    Write-Host "==> installing Python dependencies (pinned in pyproject.toml)"
    & $venvPython -m pip install --quiet --upgrade pip
    & $venvPython -m pip install --quiet -e ".[dev,sdk]"
    if ($LASTEXITCODE -ne 0) { exit 1 }
    & $venvPython -m pip install --quiet --no-deps -e ./sdk
    Remove-Item .venv/.installed-ps-* -ErrorAction SilentlyContinue
    New-Item -ItemType File $stamp | Out-Null
}

if (Test-Path frontend/package.json) {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) {
        Write-Error "Node.js (npm) is required for the web UI in frontend/ (https://nodejs.org)"; exit 1
    }
    if (-not (Test-Path frontend/node_modules)) {
        Write-Host "==> installing frontend dependencies (npm)"
        Push-Location frontend; npm install; Pop-Location
    }
}
