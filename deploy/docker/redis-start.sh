#!/bin/sh
# Start redis-server with its password read from a file (the compose secret redis_password), so the
# password is on no command line (`docker inspect`, `ps`) and in no environment variable.
# The configuration line goes in on standard input (redis-server's "-" argument): nothing is written
# to disk.
#
# Usage: redis-start.sh COMMAND... (in compose: docker-entrypoint.sh redis-server --appendonly yes ...)
#   REDIS_PASSWORD_FILE  where the password is (default /run/secrets/redis_password)
set -eu

file=${REDIS_PASSWORD_FILE:-/run/secrets/redis_password}
if [ ! -r "$file" ]; then
  echo "redis-start: cannot read the Redis password file $file (is the redis_password secret set?)" >&2
  exit 1
fi
password=$(cat "$file")
case $password in
  "" | *[!A-Za-z0-9]*)
    # It is also part of the bot's REDIS_URL, so it must need no escaping anywhere.
    echo "redis-start: the Redis password in $file must be letters and digits only (openssl rand -hex 32)" >&2
    exit 1
    ;;
esac
exec "$@" - <<EOF
requirepass $password
EOF
