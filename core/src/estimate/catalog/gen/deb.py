"""Debian bookworm package snapshot: `apt-cache dumpavail` → gen/deb-bookworm.tsv.

Run by gen.py --refresh-apt (needs `apt-get update` done on a bookworm machine).
Selects the packages Dockerfiles install (names from ../shared/conformance Dockerfiles
plus a list of common ones) and everything they depend on or recommend, first
alternative of each `a | b` group (preferring one already in debian:bookworm), and
writes one line per package: name, installed KiB, depends, recommends.
"""

import glob
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))

COMMON = """build-essential gcc g++ make git curl wget ca-certificates python3 python3-pip python3-dev
python3-venv libpq-dev default-jdk default-jre openjdk-17-jre-headless openjdk-17-jdk-headless nodejs npm vim
unzip xz-utils tzdata locales sudo gnupg procps libssl-dev zlib1g-dev pkg-config cmake
autoconf automake libtool netbase openssh-client iproute2 iputils-ping net-tools jq less nano
dnsutils rsync zip bzip2 file gosu tini libffi-dev libxml2-dev libxslt1-dev libjpeg-dev libpng-dev
libsqlite3-dev sqlite3 libcurl4-openssl-dev libyaml-dev libreadline-dev libbz2-dev liblzma-dev
libncurses-dev libgdbm-dev uuid-dev tk-dev libc6-dev golang-go rustc cargo ruby ruby-dev php-cli
nginx apache2 supervisor cron postgresql-client default-mysql-client mariadb-client redis-tools
openssl apt-transport-https lsb-release software-properties-common dirmngr gpg mercurial subversion
libmagic1 ffmpeg imagemagick fonts-dejavu-core fontconfig libgomp1 build-essential dpkg-dev
python3-setuptools python3-wheel python-is-python3 clang llvm lld gfortran libopenblas-dev
libsasl2-dev libldap2-dev libkrb5-dev libedit-dev libevent-dev libzstd-dev liblz4-dev
libgl1 libglib2.0-0 libsm6 libxext6 libxrender1 chromium firefox-esr""".split()

# Seed names that only exist on other distros / are typos in the corpus are dropped silently.


def dockerfile_names(root):
    names = set()
    for f in glob.glob(os.path.join(root, "conformance", "**", "Dockerfile*"), recursive=True):
        try:
            t = open(f, errors="replace").read()
        except OSError:
            continue
        t = re.sub(r"\\\s*\n", " ", t)
        for m in re.finditer(r"(?:apt-get|apt)\s+(?:-\S+\s+)*install\b([^&;|\n]*)", t):
            for tok in m.group(1).split():
                if tok.startswith("-") or any(c in tok for c in "$\"'()"):
                    continue
                tok = tok.split("=")[0]
                if re.match(r"^[a-z0-9][a-z0-9+.-]+$", tok):
                    names.add(tok)
    return names


def parse_dumpavail(text):
    pkgs = {}
    provides = {}
    for block in text.split("\n\n"):
        fields = {}
        key = None
        for line in block.split("\n"):
            if not line:
                continue
            if line[0] in " \t":
                if key:
                    fields[key] += " " + line.strip()
                continue
            k, _, v = line.partition(":")
            key = k
            fields[k] = v.strip()
        name = fields.get("Package")
        if not name:
            continue
        # dumpavail lists the candidate version first; keep the first seen.
        if name in pkgs:
            continue
        pkgs[name] = fields
        for p in split_groups(fields.get("Provides", "")):
            provides.setdefault(p[0], []).append(name)
    return pkgs, provides


def split_groups(field):
    out = []
    for grp in field.split(","):
        grp = grp.strip()
        if not grp:
            continue
        alts = []
        for a in grp.split("|"):
            a = re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", a).strip()
            a = a.split(":")[0]
            if a:
                alts.append(a)
        if alts:
            out.append(alts)
    return out


def choose(alts, pkgs, provides, base):
    cands = []
    for a in alts:
        if a in pkgs:
            cands.append(a)
        for p in sorted(provides.get(a, [])):
            cands.append(p)
    for c in cands:
        if c in base:
            return c
    return cands[0] if cands else None


def snapshot(shared_root, out_path):
    text = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    pkgs, provides = parse_dumpavail(text)
    base = {l.strip() for l in open(os.path.join(HERE, "debian-bookworm-base.txt")) if l.strip() and not l.startswith("#")}
    seeds = set(COMMON) | dockerfile_names(shared_root) | base
    edges = {}
    todo = []
    for s in sorted(seeds):
        c = choose([s], pkgs, provides, base)
        if c:
            todo.append(c)
    seen = set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        f = pkgs[n]
        deps, recs = [], []
        for grp in split_groups(f.get("Pre-Depends", "")) + split_groups(f.get("Depends", "")):
            c = choose(grp, pkgs, provides, base)
            if c and c != n and c not in deps:
                deps.append(c)
        for grp in split_groups(f.get("Recommends", "")):
            c = choose(grp, pkgs, provides, base)
            if c and c != n and c not in deps and c not in recs:
                recs.append(c)
        edges[n] = (int(f.get("Installed-Size", "0") or 0), f.get("Version", ""), deps, recs)
        todo.extend(deps)
        todo.extend(recs)
    policy = subprocess.run(["apt-cache", "policy"], capture_output=True, text=True).stdout
    release = re.search(r"v=([\d.]+),o=Debian,a=\w+,n=bookworm,", policy)
    with open(out_path, "w") as f:
        f.write(f"# Debian bookworm (12{'.' + release.group(1).split('.',1)[1] if release and '.' in release.group(1) else ''}) main amd64 Packages via `apt-cache dumpavail`, "
                f"deb.debian.org bookworm + bookworm-updates + bookworm-security; "
                f"{len(edges)} packages (seeds + Depends/Pre-Depends/Recommends closure, first alternative)\n")
        f.write("# name\tinstalled_kib\tversion\tdepends\trecommends\n")
        for n in sorted(edges):
            kib, ver, deps, recs = edges[n]
            f.write(f"{n}\t{kib}\t{ver}\t{' '.join(deps)}\t{' '.join(recs)}\n")
    return len(edges)
