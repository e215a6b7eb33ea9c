# Shell helpers shared by bench/run and bench/instructions (sourced, not run).

# Installs the commands named that are missing, each from the Debian package of the same name
# (sudo when not root).
need_commands() {  # command...
  local missing=() cmd
  for cmd in "$@"; do command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "[bench] installing ${missing[*]} (apt)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# N distinct TCP ports on loopback that nothing listens on right now, on one line: all are
# bound before any is released, since a port closed a moment ago may be handed out again
# (harness.py's free_ports; a sandbox and its server once got the same one).
free_ports() {  # n
  python3 -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

free_port() { free_ports 1; }

# Starts `vouch sandbox` of BINARY in the background at the benchmarks' fixed latencies
# (100 / 200 / 300 ms as harness.py's FIXED_LATENCY, no jitter, no rate limit), logging to LOG; its PID is in $SANDBOX_PID.
start_sandbox() {  # binary port log
  "$1" sandbox --listen "127.0.0.1:$2" --latency eva=100ms,lob=200ms,veriphone=300ms \
    --jitter off --lob-rate-limit off >"$3" 2>&1 &
  SANDBOX_PID=$!
}

# Waits up to 60 s for a vouch process on loopback to answer /healthz.
wait_healthz() {  # port
  local _
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "[bench] nothing answers /healthz on port $1" >&2
  return 1
}

# A value from a JSON file, by a dotted path (`config.sandbox`); empty if absent.
json_field() {  # file path
  python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v.get(k, "") if isinstance(v, dict) else ""
print(v)' "$1" "$2"
}
