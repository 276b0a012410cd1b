@echo off
rem Start the Clever POS proxy on a Windows till (run as the cashier's ordinary account).
rem Register it to start at logon once (no administrator rights needed for your own account):
rem   schtasks /Create /TN "Clever POS proxy" /SC ONLOGON /RL LIMITED /TR "\"%~f0\""
cd /d "%~dp0"
"%LOCALAPPDATA%\CleverProxy\venv\Scripts\pythonw.exe" -m clever_proxy --config "%LOCALAPPDATA%\CleverProxy\proxy.json" --log-file "%LOCALAPPDATA%\CleverProxy\proxy.log"
