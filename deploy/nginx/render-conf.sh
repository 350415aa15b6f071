#!/bin/sh
# Writes an nginx configuration template to standard output with its placeholders filled in.
#   render-conf.sh TEMPLATE NAME=VALUE... [NODE=HOST:PORT...]
# Every @NAME@ in the template becomes VALUE; a line holding @NODE@ is written once per NODE
# given, in order; comment lines stay as they are. Fails naming the placeholders left without a value (or with no NODE), so a
# half-filled configuration never reaches nginx.
set -eu
if [ $# -lt 1 ] || [ "$1" = "--help" ] || [ "$1" = "-h" ]; then
    sed -n '2,6s/^# \{0,1\}//p' "$0"
    [ $# -ge 1 ] && exit 0 || exit 2
fi
TEMPLATE=$1
shift
[ -r "$TEMPLATE" ] || { echo "render-conf: cannot read the template $TEMPLATE" >&2; exit 1; }
for pair in "$@"; do
    case $pair in
        [A-Z]*=*) ;;
        *) echo "render-conf: '$pair' is not NAME=VALUE (e.g. HTTPS_PORT=443)" >&2; exit 2 ;;
    esac
done
# awk reads the pairs from the environment of the call, one per line, so values with /, & or
# spaces need no escaping.
PAIRS=$(printf '%s\n' "$@") awk '
    BEGIN {
        count = split(ENVIRON["PAIRS"], lines, "\n")
        for (i = 1; i <= count; i++) {
            if (lines[i] == "") continue
            at = index(lines[i], "=")
            name = substr(lines[i], 1, at - 1); value = substr(lines[i], at + 1)
            if (name == "NODE") nodes[++nodeCount] = value
            else values[name] = value
        }
    }
    function fill(line,    out, start, rest, name) {
        out = ""
        while (match(line, /@[A-Z_]+@/)) {
            name = substr(line, RSTART + 1, RLENGTH - 2)
            out = out substr(line, 1, RSTART - 1)
            if (name in values) out = out values[name]
            else { out = out "@" name "@"; missing[name] = 1 }
            line = substr(line, RSTART + RLENGTH)
        }
        return out line
    }
    # Comments are left as they are: they may name the placeholders.
    /^[ \t]*#/ { print; next }
    /@NODE@/ {
        if (nodeCount == 0) missing["NODE"] = 1
        for (i = 1; i <= nodeCount; i++) { line = $0; gsub(/@NODE@/, nodes[i], line); print fill(line) }
        next
    }
    { print fill($0) }
    END {
        list = ""
        for (name in missing) list = list " " name
        if (list != "") { print "render-conf: no value for" list " in " FILENAME > "/dev/stderr"; exit 1 }
    }
' "$TEMPLATE"
