#!/usr/bin/env bash
# The deployment files, checked without Docker (none runs in CI): deploy/nginx.conf passes
# `nginx -t` on Debian's nginx (container paths and hosts rewritten to a temp dir, a throwaway
# self-signed certificate), and compose.yaml / Dockerfile / deploy/*.env.example agree with
# config.ts and package.json (.ci/check-deploy.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}

[ -x "$NGINX_BIN" ] || { echo "nginx not found at $NGINX_BIN"; exit 1; }
tmp=$(mktemp -d /tmp/pas-deploy-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/certs" "$tmp/cache" "$tmp/log"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$tmp/certs/privkey.pem" -out "$tmp/certs/fullchain.pem" 2>/dev/null
sed -e "s#/etc/nginx/certs/#$tmp/certs/#g" \
  -e "s#/var/cache/nginx/#$tmp/cache/#g" \
  -e "s#/var/log/nginx/#$tmp/log/#g" \
  -e "s#/var/run/nginx.pid#$tmp/nginx.pid#g" \
  -e 's#server app-[0-9]*:3000#server 127.0.0.1:9#g' \
  deploy/nginx.conf >"$tmp/nginx.conf"
"$NGINX_BIN" -t -e "$tmp/log/error.log" -p "$tmp" -c "$tmp/nginx.conf"
echo "deploy/nginx.conf: syntax ok on $("$NGINX_BIN" -v 2>&1)"

node_modules/.bin/node .ci/check-deploy.ts
