#!/usr/bin/env bash
# deploy/nginx.conf served by Debian's nginx outside Docker, in the foreground, with no root
# needed: what .ci/smoke and tests/operations/test_slow_clients.py put in front of gunicorn.
#
#   bash deploy/nginx-local.sh DIR LISTEN UPSTREAM
#   e.g. bash deploy/nginx-local.sh /tmp/front 127.0.0.1:8080 127.0.0.1:8000
#
# Writes DIR/nginx.conf: deploy/nginx.conf with its two "local:" lines replaced (listen
# LISTEN, server UPSTREAM), its access log in DIR/access.log and nginx's temporary files
# under DIR/temp; then runs nginx (master and workers) with its pid file in DIR and its
# error log on stderr. SIGTERM (or SIGQUIT, gracefully) stops it. Exits 127 if nginx is
# missing.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: bash deploy/nginx-local.sh DIR LISTEN UPSTREAM" >&2
  exit 2
fi
dir=$(mkdir -p "$1" && cd "$1" && pwd)
listen=$2
upstream=$3
conf=$(dirname "$0")/nginx.conf

nginx=$(command -v nginx || true)
[ -z "$nginx" ] && [ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx
if [ -z "$nginx" ]; then
  echo "nginx is not installed: apt-get install nginx (the front of deploy/nginx.conf)" >&2
  exit 127
fi

mkdir -p "$dir/temp"
# The temporary directories Debian's nginx would otherwise make under /var/lib/nginx.
temp=""
for kind in client_body proxy fastcgi uwsgi scgi; do temp="$temp ${kind}_temp_path $dir/temp/$kind;"; done
sed -e "s|^\( *\)listen [^;]*;\( *# local:.*\)$|\1listen $listen;\2|" \
    -e "s|^\( *\)server [^;]*;\( *# local:.*\)$|\1server $upstream;\2|" \
    -e "s|^\( *\)access_log /dev/stdout |\1access_log $dir/access.log |" \
    -e "s|^http {$|http {\n   $temp|" \
    "$conf" >"$dir/nginx.conf"
for line in "listen $listen;" "server $upstream;" "access_log $dir/access.log " "client_body_temp_path $dir/temp/"; do
  grep -qF -- "$line" "$dir/nginx.conf" || { echo "deploy/nginx-local.sh: could not set “$line” in $conf" >&2; exit 1; }
done

# As root (CI containers), nginx would run its workers as `nobody`, who cannot enter the
# caller's private temporary directories: keep them as the caller.
user=""
[ "$(id -u)" = 0 ] && user="user root;"
exec "$nginx" -p "$dir/" -c "$dir/nginx.conf" -e stderr -g "daemon off; pid $dir/nginx.pid; $user"
