#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for HtmlReportBrowserTest (pipeline), which opens the
# generated HTML report offline and checks that it renders. Without it that test is skipped.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update
  $sudo_cmd apt-get install -y chromium
fi
/usr/bin/chromium --version
