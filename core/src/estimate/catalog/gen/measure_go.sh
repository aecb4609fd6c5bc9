#!/bin/sh
# Measures Go hello-world binary sizes and the build cache a first build leaves.
# Run: sh core/src/estimate/catalog/gen/measure_go.sh > core/src/estimate/catalog/gen/measured-go.csv
# Needs Debian's golang-go (apt-get install golang-go). Output: kind,name,variant,size_bytes,version,source
set -eu
W=$(mktemp -d)
cd "$W"
V=$(go version | awk '{print $3}')
export GOPATH="$W/gopath" GOCACHE="$W/cache" GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local
printf 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello world")\n}\n' > hello.go
cat > http.go <<'G'
package main

import (
	"fmt"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	_ = http.ListenAndServe(":8080", nil)
}
G
cat > json.go <<'G'
package main

import (
	"encoding/json"
	"os"
)

func main() { _ = json.NewEncoder(os.Stdout).Encode(map[string]string{"hello": "world"}) }
G
cat > min.go <<'G'
package main

func main() { println("hello") }
G
go mod init example.com/m >/dev/null 2>&1
date=$(date -u +%Y-%m-%d)
src="measured here $date: Debian bookworm golang-go ($V), linux/amd64, go build + stat"
row() { printf 'go_binary,%s,"%s",%s,%s,"%s"\n' "$1" "$2" "$(stat -c %s "$3")" "$V" "$src"; }
for prog in hello http json min; do
  d=$(mkdir -p "$prog" && echo "$prog")
  cp $prog.go $d/main.go
  ( cd $d && go mod init example.com/$prog >/dev/null 2>&1 || true )
  ( cd $d && CGO_ENABLED=1 go build -o ../b.default . ) && row "$prog" "default (CGO_ENABLED=1)" b.default
  ( cd $d && CGO_ENABLED=0 go build -o ../b.nocgo . ) && row "$prog" "CGO_ENABLED=0" b.nocgo
  ( cd $d && CGO_ENABLED=0 go build -ldflags="-s -w" -o ../b.sw . ) && row "$prog" "CGO_ENABLED=0 -ldflags=-s -w" b.sw
  ( cd $d && CGO_ENABLED=0 go build -trimpath -o ../b.tp . ) && row "$prog" "CGO_ENABLED=0 -trimpath" b.tp
  ( cd $d && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o ../b.tpsw . ) && row "$prog" "CGO_ENABLED=0 -trimpath -ldflags=-s -w" b.tpsw
  ( cd $d && CGO_ENABLED=1 go build -ldflags="-s -w" -o ../b.cgosw . ) && row "$prog" "CGO_ENABLED=1 -ldflags=-s -w" b.cgosw
done
# Build cache left by one first build of hello.go (as in a single-stage image).
rm -rf "$GOCACHE"; mkdir -p c1 && cp hello.go c1/main.go && (cd c1 && go mod init example.com/c1 >/dev/null 2>&1; CGO_ENABLED=0 go build -o ../b.c1 .)
filebytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
printf 'go_build_cache,hello (fmt),"GOCACHE file bytes after one first build (docker counts files not dirs)",%s,%s,"%s"\n' "$(filebytes "$GOCACHE")" "$V" "$src"
rm -rf "$GOCACHE"; mkdir -p c2 && cp http.go c2/main.go && (cd c2 && go mod init example.com/c2 >/dev/null 2>&1; CGO_ENABLED=0 go build -o ../b.c2 .)
printf 'go_build_cache,net/http server,"GOCACHE file bytes after one first build",%s,%s,"%s"\n' "$(filebytes "$GOCACHE")" "$V" "$src"
printf 'go_toolchain,golang-go %s,"/usr/lib/go-1.19 file bytes",%s,%s,"%s"\n' "$V" "$(filebytes /usr/lib/go-1.19/)" "$V" "$src"
rm -rf "$W"
