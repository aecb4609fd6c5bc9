#!/usr/bin/env python3
"""Generates the size-catalog tables in core/src/estimate/catalog/*_gen.rs.

Regenerate (from the repository root):

    python3 core/src/estimate/catalog/gen/gen.py            # uses the committed deb snapshot
    python3 core/src/estimate/catalog/gen/gen.py --refresh-apt   # re-reads Debian's index via apt-cache

Inputs:
  ../shared/data/*                    facts from docker-library/repo-info and published material
                                      (override the directory with LAYERLENS_SHARED_DATA)
  gen/extra-images.csv                snapshots written out row by row (scratch)
  gen/extra-totals.csv                snapshots known by their total (repo-info forks, published
                                      `docker images` output found with the search tools), sourced
  gen/aliases.csv                     extra tags that pointed at a recorded snapshot, sourced
  gen/image-aliases.csv               other names of recorded images (gcr.io/distroless/static …)
  gen/apk-deps.csv                    Alpine dependency edges (empty: none sourced yet)
  gen/deb-bookworm.tsv                Debian bookworm package snapshot written by --refresh-apt
                                      (gen/deb.py: apt-cache dumpavail on a bookworm machine)
  gen/debian-bookworm-base.txt        the debian:bookworm-slim package list (repo-info)
  gen/apt-lists.txt                   /var/lib/apt/lists size measured after apt-get update
  gen/measured-go.csv                 sh gen/measure_go.sh > gen/measured-go.csv (needs golang-go)
  gen/measured-payloads.csv           sh gen/measure_payloads.sh > gen/measured-payloads.csv
                                      (npm, pip, cargo; network to the npm/PyPI registries)

Derivations (each row's `basis` repeats the one it used):
  - single-layer images: the layer is the image's on-disk total (repo-info VirtualSize, decimal MB);
  - a rootfs layer with the same compressed blob size as a recorded base image gets that image's
    total; otherwise compressed × that base line's disk/compressed ratio;
  - an `apk add` layer = installed sizes of the packages the image has over its alpine base ×
    the release's disk/installed factor (alpine image on disk ÷ sum of its packages' installed
    sizes: 0.888 for 3.17, where abuild recorded `du -k` block sums; ~1.00 for 3.21/3.24);
  - layers of < 200 B compressed hold only directories → 0 B;
  - the remaining layer(s) = recorded total − the above (split by compressed size if several),
    or compressed × the disk/compressed ratio of such layers when no total is recorded.

Outputs (never edit by hand): images_gen.rs, apk_gen.rs, deb_gen.rs, blocks_gen.rs.
Every derived number gets a `basis` string saying how it was obtained.
"""

import csv
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
CAT = os.path.dirname(HERE)
ROOT = os.path.abspath(os.path.join(CAT, "..", "..", "..", ".."))
DATA = os.environ.get("LAYERLENS_SHARED_DATA") or os.path.join(ROOT, "..", "shared", "data")

CREATED_BY_MAX = 72


def rs(s):
    """A Rust string literal."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\t", " ") + '"'


def date_rs(d):
    y, m, dd = d.split("-")
    return f"Date::new({int(y)}, {int(m)}, {int(dd)})"


def mb(n):
    return f"{n / 1e6:.2f} MB"


def clean_created_by(s):
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) > CREATED_BY_MAX:
        s = s[: CREATED_BY_MAX - 1].rstrip() + "…"
    return s


# ---------------------------------------------------------------- Alpine packages

def load_apk():
    rows = [json.loads(l) for l in open(os.path.join(DATA, "repoinfo-apk-packages.jsonl"))]
    pkgs = {}  # (distro, name) -> dict
    seen_in = defaultdict(set)  # image -> {names}
    for r in rows:
        key = (r["distro"], r["package"])
        seen_in[r["seen_in"]].add(r["package"])
        src = f"repo-info {r['source']} ({r['seen_in_resolved']})"
        if key not in pkgs:
            pkgs[key] = dict(distro=r["distro"], name=r["package"], version=r["version"],
                             installed=r["installed_size_bytes"], source=src)
    for r in csv.DictReader(open(os.path.join(DATA, "published-building-blocks.csv"))):
        if r["kind"] != "apk_installed":
            continue
        distro = r["variant"].split()[0]
        key = (distro, r["name"])
        if key not in pkgs:
            pkgs[key] = dict(distro=distro, name=r["name"], version=r["version"],
                             installed=int(r["size_bytes"]), source=r["source"])
    return pkgs, seen_in


def apk_calibration(pkgs, seen_in, images_by_id):
    """disk/installed factor per Alpine release, from the alpine image itself:
    the rootfs on disk (repo-info VirtualSize) ÷ the sum of its packages' installed sizes.
    Up to ~3.20, abuild recorded installed size with `du -k` (4 KiB blocks per file), so
    the factor is < 1; later releases record byte sums and the factor is ~1."""
    out = {}
    for img, distro in (("alpine:3.17", "alpine3.17"), ("alpine:3.21", "alpine3.21"), ("alpine:latest", "alpine3.24")):
        rec = images_by_id[img]
        s = sum(pkgs[(distro, n)]["installed"] for n in seen_in[img])
        v = rec["virtual_size_bytes_if_decimal_mb"]
        out[distro] = (v / s, f"{rec['resolved_version_tag']}: {mb(v)} on disk / {mb(s)} installed, {len(seen_in[img])} apk packages")
    return out


# ---------------------------------------------------------------- images

OS_FAMILY = {
    "alpine": "Alpine", "debian": "Debian", "ubuntu": "Ubuntu", "busybox": "Busybox",
}


def family_of(rec_image, first_created_by, tag):
    cb = first_created_by
    if "alpine" in cb or "alpine" in tag or rec_image == "alpine":
        return "Alpine"
    if "umoci" in cb or rec_image == "ubuntu" or "ubuntu" in cb:
        return "Ubuntu"
    if rec_image == "busybox":
        return "Busybox"
    return "Debian"


def load_aliases():
    out = defaultdict(list)  # record id prefix image:tag@date -> [(alias, source)]
    p = os.path.join(HERE, "aliases.csv")
    prev = ""
    for r in csv.DictReader(open(p)):
        src = prev if r["source"] == "same" else r["source"]
        prev = src
        out[(r["image"], r["tag"], r["date"], r["arch"])].append((r["alias"], src))
    return out


def parse_apk_add(created_by):
    """Packages named by a simple `apk add [--no-cache] a b c` (no --virtual)."""
    m = re.match(r"RUN (?:set -eux; )?apk add (.*?)(?:#|;|&&|$)", created_by)
    if not m or "--virtual" in m.group(1):
        return None
    names = [t for t in m.group(1).split() if not t.startswith("-")]
    return names or None


def build_images(pkgs, seen_in, calib):
    recs = [json.loads(l) for l in open(os.path.join(DATA, "repoinfo-images.jsonl"))]
    by_id = {r["record_id"].split("@")[0]: r for r in recs}
    aliases = load_aliases()
    published = list(csv.DictReader(open(os.path.join(DATA, "published-base-images.csv"))))

    # Single-layer base images with a recorded on-disk size: a rootfs blob with the same
    # compressed size is the same layer, so its disk size is the image's size.
    bases = []
    for r in recs:
        data_layers = [h for h in r["history"] if not h["empty_layer"]]
        if len(data_layers) == 1 and r["virtual_size_bytes_if_decimal_mb"]:
            bases.append(r)

    def rootfs_for(layer, rec):
        c = layer["compressed_bytes"]
        for b in bases:
            if b is rec:
                continue
            if b["compressed_total_bytes"] == c:
                v = b["virtual_size_bytes_if_decimal_mb"]
                return v, "Derived", f"same rootfs blob as {b['record_id']}, {mb(v)} on disk (repo-info)"
        # Same distro/suite, nearest compressed size: scale by that base's ratio.
        cb = layer["created_by"]
        suite = None
        m = re.search(r"out/ '(\w+)'", cb)
        if m:
            suite = ("debian", m.group(1))
        m = re.search(r"alpine-minirootfs-(\d+\.\d+)", cb)
        if m:
            suite = ("alpine", m.group(1))
        best = None
        for b in bases:
            if b is rec:
                continue
            bcb = [h for h in b["history"] if not h["empty_layer"]][0]["created_by"]
            bsuite = None
            mm = re.search(r"out/ '(\w+)'", bcb)
            if mm:
                bsuite = ("debian", mm.group(1))
            mm = re.search(r"alpine-minirootfs-(\d+\.\d+)", bcb)
            if mm:
                bsuite = ("alpine", mm.group(1))
            if suite is None or bsuite is None or bsuite[0] != suite[0]:
                continue
            d = abs(b["compressed_total_bytes"] - c) / c + (0 if bsuite == suite else 0.5)
            if best is None or d < best[0]:
                best = (d, b)
        if best and best[0] < 0.6:
            b = best[1]
            ratio = b["virtual_size_bytes_if_decimal_mb"] / b["compressed_total_bytes"]
            v = round(c * ratio)
            return v, "Estimated", f"compressed × {ratio:.3f}, the disk/compressed ratio of {b['record_id']} (same rootfs line)"
        return None

    entries = []
    for r in recs:
        image, tag = r["image"], r["tag"]
        date = r["snapshot_date"]
        hist = r["history"]
        data_idx = [i for i, h in enumerate(hist) if not h["empty_layer"]]
        total = r["virtual_size_bytes_if_decimal_mb"]
        total_note = None
        if total and not r.get("local_matches_remote", True):
            total_note = "total is from another build of the tag"
        layer_disk = {}
        # 1. the rootfs layer
        first = hist[data_idx[0]]
        if len(data_idx) == 1 and total:
            layer_disk[data_idx[0]] = (total, "Derived", "single layer = the image's on-disk size (repo-info)")
        else:
            rf = rootfs_for(first, r)
            if rf:
                layer_disk[data_idx[0]] = rf
        # 2. package layers: packages present in this image but not in its base
        for i in data_idx[1:]:
            h = hist[i]
            names = parse_apk_add(h["created_by"])
            if names and image + ":" + tag in seen_in:
                img_pk = seen_in[image + ":" + tag]
                distro = next((d for (d, n) in pkgs if n in img_pk and (d, n) in pkgs), None)
                base_img = {"alpine3.17": "alpine:3.17", "alpine3.21": "alpine:3.21", "alpine3.24": "alpine:latest"}.get(distro)
                if base_img:
                    added = sorted(img_pk - seen_in[base_img])
                    if added and all((distro, n) in pkgs for n in added):
                        inst = sum(pkgs[(distro, n)]["installed"] for n in added)
                        f, fnote = calib[distro]
                        v = round(inst * f)
                        layer_disk[i] = (v, "Derived",
                                         f"apk packages added over {base_img} ({', '.join(added)}: {inst} B installed, {distro}) × {f:.3f} disk/installed ({fnote})")
            # tiny layers: a gzip'd tar of only directories / empty diff is < 200 B; docker
            # history counts file bytes, not directories -> 0 B.
            if h["compressed_bytes"] <= 200:
                layer_disk[i] = (0, "Derived", f"{h['compressed_bytes']} B compressed: directories only, docker counts file bytes → 0 B")
        entries.append(dict(rec=r, image=image, tag=tag, date=date, hist=hist, data_idx=data_idx,
                            total=total, total_note=total_note, layer_disk=layer_disk))

    # Ratios for the non-rootfs layers of images whose total is recorded.
    fam_pairs = defaultdict(lambda: [0, 0, 0])
    for e in entries:
        if not e["total"]:
            continue
        unknown = [i for i in e["data_idx"] if i not in e["layer_disk"]]
        known = sum(e["layer_disk"][i][0] for i in e["data_idx"] if i in e["layer_disk"])
        if not unknown:
            continue
        comp = sum(e["hist"][i]["compressed_bytes"] for i in unknown)
        fam_pairs[e["image"]][0] += e["total"] - known
        fam_pairs[e["image"]][1] += comp
        fam_pairs[e["image"]][2] += 1
        fam_pairs["*"][0] += e["total"] - known
        fam_pairs["*"][1] += comp
        fam_pairs["*"][2] += 1

    out = []
    for e in entries:
        r, hist = e["rec"], e["hist"]
        unknown = [i for i in e["data_idx"] if i not in e["layer_disk"]]
        known = sum(e["layer_disk"][i][0] for i in e["data_idx"] if i in e["layer_disk"])
        if e["total"]:
            rest = e["total"] - known
            comp = sum(hist[i]["compressed_bytes"] for i in unknown) or 1
            for i in unknown:
                share = hist[i]["compressed_bytes"] / comp
                v = round(rest * share)
                if len(unknown) == 1:
                    b = f"image total {mb(e['total'])} (repo-info) minus the other layers"
                else:
                    b = f"image total {mb(e['total'])} minus the other layers, split by compressed size ({share:.1%})"
                e["layer_disk"][i] = (v, "Derived", b)
            total, tmethod = e["total"], "Recorded"
        else:
            fam = e["image"] if e["image"] in fam_pairs else "*"
            u, c, n = fam_pairs[fam]
            ratio = u / c
            for i in unknown:
                v = round(hist[i]["compressed_bytes"] * ratio)
                e["layer_disk"][i] = (v, "Estimated",
                                      f"compressed × {ratio:.2f}, disk/compressed of non-rootfs layers of {fam + ' images' if fam != '*' else 'all images'} with a recorded total (n={n})")
            total = sum(e["layer_disk"][i][0] for i in e["data_idx"])
            tmethod = "Estimated"
        layers = []
        for i, h in enumerate(hist):
            if h["empty_layer"]:
                layers.append(dict(created_by=clean_created_by(h["created_by"]), has=False, disk=0, comp=0,
                                   dm="Recorded", cm="Recorded", basis=""))
            else:
                v, m, b = e["layer_disk"][i]
                layers.append(dict(created_by=clean_created_by(h["created_by"]), has=True, disk=v,
                                   comp=h["compressed_bytes"], dm=m, cm="Recorded", basis=b))
        tags = [e["tag"]]
        rv = r.get("resolved_version_tag")
        if rv and ":" in rv:
            tags.append(rv.split(":", 1)[1])
        for a in r.get("aliases_verified") or []:
            m = re.match(r"[\w.-]+:([\w.-]+)", a)
            if m:
                tags.append(m.group(1))
        for alias, _src in aliases.get((e["image"], e["tag"], e["date"], "amd64"), []):
            tags.append(alias)
        alias_src = "; ".join(f"`{a}` per {s}" for a, s in aliases.get((e["image"], e["tag"], e["date"], "amd64"), []))
        fam = family_of(e["image"], hist[e["data_idx"][0]]["created_by"], e["tag"])
        src = f"repo-info {r['repo_info_path']} @{r['repo_info_commit'][:8]}"
        if r.get("virtual_size_source"):
            vs = r["virtual_size_source"]
            src += f"; total {r['virtual_size_raw'].strip()} {vs['path']} @{vs['commit'][:8]}"
        if e["total_note"]:
            src += f" ({e['total_note']})"
        out.append(dict(image=e["image"], tag=e["tag"], tags=dedupe(tags), resolved=rv or f"{e['image']}:{e['tag']}",
                        arch="Amd64", date=e["date"], family=fam, shell=True, layers=layers,
                        total=total, comp=r["compressed_total_bytes"], tmethod=tmethod, source=src))

    ratios = {}
    for k, (u, c, n) in fam_pairs.items():
        ratios["layers:" + k] = (u / c, n)
    return out, recs, by_id, ratios, published


def dedupe(xs):
    seen, out = set(), []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def extra_images(ratio_for):
    """Rows from gen/extra-images.csv: one line per layer (layer_no 0 = image header)."""
    p = os.path.join(HERE, "extra-images.csv")
    groups = defaultdict(list)
    for r in csv.DictReader(open(p)):
        groups[(r["image"], r["tag"], r["arch"], r["date"])].append(r)
    out = []
    for (image, tag, arch, date), rows in groups.items():
        head = rows[0]
        layers = []
        for r in rows:
            if not r["layer_no"]:
                continue
            disk = int(r["disk_bytes"]) if r["disk_bytes"] else None
            comp = int(r["compressed_bytes"]) if r["compressed_bytes"] else None
            has = r["has_layer"] == "1"
            basis = r["basis"]
            dm = r["disk_method"] or "Recorded"
            cm = r["compressed_method"] or "Recorded"
            if has and comp is None and disk is not None:
                ratio, fam = ratio_for(r["ratio_family"] or head["family"].lower())
                comp = round(disk / ratio)
                cm = "Estimated"
                basis += f"; compressed = disk ÷ {ratio:.2f} ({fam} ratio)"
            if has and disk is None and comp is not None:
                ratio, fam = ratio_for(r["ratio_family"] or head["family"].lower())
                disk = round(comp * ratio)
                dm = "Estimated"
                basis += f"; disk = compressed × {ratio:.2f} ({fam} ratio)"
            layers.append(dict(created_by=clean_created_by(r["created_by"]), has=has, disk=disk or 0,
                               comp=comp or 0, dm=dm, cm=cm, basis=basis if has else ""))
        total = sum(l["disk"] for l in layers)
        comp = sum(l["comp"] for l in layers)
        tmethod = "Recorded" if all(l["dm"] == "Recorded" for l in layers if l["has"]) else "Derived"
        if head["total_bytes"]:
            total = int(head["total_bytes"])
            tmethod = "Recorded"
        out.append(dict(image=image, tag=tag, tags=dedupe([tag] + [t for t in head["tags"].split() if t]),
                        resolved=head["resolved"], arch=arch.capitalize(), date=date, family=head["family"],
                        shell=head["has_shell"] == "1", layers=layers, total=total, comp=comp,
                        tmethod=tmethod, source=head["source"]))
    return out


def extra_totals(entries, ratios, layer_ratios, pkgs, calib):
    """Snapshots known only by their on-disk total (gen/extra-totals.csv), laid out as rows."""
    def ratio(keys):
        for k in keys:
            if k in ratios:
                return ratios[k][0], k
        return ratios["*"][0], "*"

    alpine_rootfs = {}
    for e in entries:
        if e["image"] == "alpine" and e["arch"] == "Amd64" and e["tmethod"] == "Recorded":
            m = re.search(r"alpine:(\d+\.\d+)", e["resolved"])
            if m:
                alpine_rootfs[m.group(1)] = (e["total"], f"alpine:{e['resolved'].split(':')[1]} on disk {mb(e['total'])}")
    out = []
    for r in csv.DictReader(open(os.path.join(HERE, "extra-totals.csv"))):
        total = round(float(r["total_mb"]) * 1e6)
        fam = r["family"]
        layers = []
        if r["template"] == "one":
            k, key = ratio([r["image"], "os:" + fam.lower()])
            layers.append(dict(created_by=clean_created_by(r["created_by"]), has=True, disk=total, comp=round(total / k),
                               dm="Recorded", cm="Estimated",
                               basis=f"whole image as one row (only the total is published); compressed = disk ÷ {k:.2f} ({key} ratio)"))
        elif r["template"].startswith("golang-alpine:"):
            distro = r["template"].split(":")[1]
            minor = distro.replace("alpine", "")
            if minor in alpine_rootfs:
                root, rnote = alpine_rootfs[minor]
                rm = "Derived"
            else:
                near = min(alpine_rootfs, key=lambda v: abs(float(v) - float(minor)))
                root, rnote = alpine_rootfs[near]
                rnote = f"no amd64 {distro} size recorded; nearest release {rnote}"
                rm = "Estimated"
            ca = pkgs.get((distro, "ca-certificates"))
            f = calib.get(distro, calib["alpine3.17"] if int(minor.split(".")[1]) <= 20 else calib["alpine3.24"])[0]
            ca_disk = round(ca["installed"] * f)
            ka, _ = ratio(["alpine"])
            kg = layer_ratios["layers:golang"][0]
            tool = total - root - ca_disk
            layers += [
                dict(created_by=f"ADD alpine-minirootfs ({distro}) / ", has=True, disk=root, comp=round(root / ka), dm=rm, cm="Estimated",
                     basis=f"rootfs = {rnote}; compressed ÷ {ka:.2f} (alpine ratio)"),
                dict(created_by='CMD ["/bin/sh"]', has=False, disk=0, comp=0, dm="Recorded", cm="Recorded", basis=""),
                dict(created_by="RUN apk add --no-cache ca-certificates", has=True, disk=ca_disk, comp=round(ca_disk / ka), dm="Derived", cm="Estimated",
                     basis=f"ca-certificates {ca['installed']} B installed ({distro}) × {f:.3f} disk/installed"),
                dict(created_by="RUN set -eux; apk add --no-cache --virtual .fetch-deps gnupg; … (Go toolchain)", has=True, disk=tool,
                     comp=round(tool / kg), dm="Derived", cm="Estimated",
                     basis=f"image total {mb(total)} minus the other layers; compressed ÷ {kg:.2f} (golang non-rootfs ratio)"),
                dict(created_by='RUN mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 777 "$GOPATH"', has=True, disk=0, comp=155,
                     dm="Derived", cm="Estimated", basis="directories only → 0 B (as in golang:1.19-alpine)"),
                dict(created_by="WORKDIR /go", has=False, disk=0, comp=0, dm="Recorded", cm="Recorded", basis=""),
            ]
        else:
            raise SystemExit(f"unknown template {r['template']}")
        out.append(dict(image=r["image"], tag=r["tag"], tags=dedupe([r["tag"]] + r["tags"].split()), resolved=r["resolved"],
                        arch=r["arch"].capitalize(), date=r["date"], family=fam, shell=r["has_shell"] == "1", layers=layers,
                        total=sum(l["disk"] for l in layers), comp=sum(l["comp"] for l in layers),
                        tmethod="Recorded", source=r["source"]))
    return out


def emit_images(entries, ratios, image_aliases):
    entries.sort(key=lambda e: (e["image"], e["tag"], e["arch"], e["date"]))
    lines = [HEADER, "use super::{Arch, BaseLayer, CompressionRatio, Date, ImageEntry, Method, OsFamily};", ""]
    newest = max(e["date"] for e in entries if e["image"] != "scratch")
    lines.append(f"/// Newest snapshot date in the catalog.\npub(super) const DATA_DATE: Date = {date_rs(newest)};\n")
    lines.append("/// Other names for recorded images: (name, canonical name, why).")
    lines.append("pub(super) static IMAGE_ALIASES: &[(&str, &str, &str)] = &[")
    for a, b, why in sorted(image_aliases):
        lines.append(f"    ({rs(a)}, {rs(b)}, {rs(why)}),")
    lines.append("];\n")
    lines.append("pub(super) static IMAGES: &[ImageEntry] = &[")
    for e in entries:
        lines.append("    ImageEntry {")
        lines.append(f"        image: {rs(e['image'])},")
        lines.append(f"        tag: {rs(e['tag'])},")
        lines.append(f"        tags: &[{', '.join(rs(t) for t in e['tags'])}],")
        lines.append(f"        resolved: {rs(e['resolved'])},")
        lines.append(f"        arch: Arch::{e['arch']},")
        lines.append(f"        date: {date_rs(e['date'])},")
        lines.append(f"        os_family: OsFamily::{e['family']},")
        lines.append(f"        has_shell: {'true' if e['shell'] else 'false'},")
        lines.append("        layers: &[")
        for l in e["layers"]:
            lines.append(f"            BaseLayer {{ created_by: {rs(l['created_by'])}, has_layer: {'true' if l['has'] else 'false'}, "
                         f"disk_bytes: {l['disk']}, compressed_bytes: {l['comp']}, disk_method: Method::{l['dm']}, "
                         f"compressed_method: Method::{l['cm']}, basis: {rs(l['basis'])} }},")
        lines.append("        ],")
        lines.append(f"        total_bytes: {e['total']},")
        lines.append(f"        compressed_bytes: {e['comp']},")
        lines.append(f"        total_method: Method::{e['tmethod']},")
        lines.append(f"        source: {rs(e['source'])},")
        lines.append("    },")
    lines.append("];\n")
    lines.append("pub(super) static COMPRESSION: &[CompressionRatio] = &[")
    for fam in sorted(ratios):
        r, n, src = ratios[fam]
        lines.append(f"    CompressionRatio {{ family: {rs(fam)}, ratio: {r:.4f}, samples: {n}, source: {rs(src)} }},")
    lines.append("];")
    write("images_gen.rs", lines)


def emit_apk(pkgs, calib, deps):
    rows = sorted(pkgs.values(), key=lambda p: (p["distro"], p["name"]))
    lines = [HEADER, "use super::apk::ApkPackage;", ""]
    lines.append("/// disk bytes ÷ apk installed size per Alpine release: (distro, factor, basis).")
    lines.append("pub(super) static APK_CALIBRATION: &[(&str, f64, &str)] = &[")
    for d in sorted(calib):
        f, note = calib[d]
        lines.append(f"    ({rs(d)}, {f:.4f}, {rs(note)}),")
    lines.append("];\n")
    lines.append("/// Sorted by (distro, name).")
    lines.append("pub(super) static APK: &[ApkPackage] = &[")
    for p in rows:
        d = deps.get(p["name"], ([], ""))
        lines.append(f"    ApkPackage {{ distro: {rs(p['distro'])}, name: {rs(p['name'])}, version: {rs(p['version'])}, "
                     f"installed_bytes: {p['installed']}, source: {rs(p['source'])} }},")
    lines.append("];\n")
    lines.append("/// Dependency edges (any release), sorted by package: (package, depends, source).")
    lines.append("pub(super) static APK_DEPS: &[(&str, &[&str], &str)] = &[")
    for name in sorted(deps):
        ds, src = deps[name]
        lines.append(f"    ({rs(name)}, &[{', '.join(rs(x) for x in ds)}], {rs(src)}),")
    lines.append("];")
    write("apk_gen.rs", lines)


def load_apk_deps():
    out = {}
    p = os.path.join(HERE, "apk-deps.csv")
    if os.path.exists(p):
        for r in csv.DictReader(open(p)):
            out[r["package"]] = (r["depends"].split(), r["source"])
    return out


HEADER = ("// @generated by core/src/estimate/catalog/gen/gen.py — do not edit.\n"
          "// Regenerate: python3 core/src/estimate/catalog/gen/gen.py   (see that file for inputs)\n")


def write(name, lines):
    with open(os.path.join(CAT, name), "w") as f:
        f.write("\n".join(lines) + "\n")


# Seeds whose dependency trees are mostly their own (npm: Debian splits its JavaScript
# deps into ~390 node-* packages; libreoffice; devscripts). Their private packages are
# folded into one precomputed size per seed to keep the wasm budget; the packages they
# share with other seeds stay in the table as edges.
OPAQUE = ("npm", "libreoffice", "devscripts")


def fold_opaque(rows):
    import deb as debmod
    table = {n: (kib, deps, recs) for n, kib, deps, recs in rows}
    base = {l.strip() for l in open(os.path.join(HERE, "debian-bookworm-base.txt")) if l.strip() and not l.startswith("#")}
    seeds = set(debmod.COMMON) | debmod.dockerfile_names(os.path.join(DATA, "..")) | base
    seeds = {s for s in seeds if s in table}

    def reach(starts, rec, stop=frozenset()):
        seen, stack = set(), list(starts)
        while stack:
            n = stack.pop()
            if n in seen or n in base or n in stop or n not in table:
                continue
            seen.add(n)
            _, d, r = table[n]
            stack.extend(d)
            if rec:
                stack.extend(r)
        return seen

    stored = reach([s for s in seeds if s not in OPAQUE], True) | base | set(OPAQUE)
    folded = {}
    for p in OPAQUE:
        if p not in table:
            continue
        hidden_norec = reach([p], False) - stored
        hidden_rec = reach([p], True) - stored

        def frontier(rec):
            # Stored packages reached from p through hidden packages only.
            out, seen, stack = [], set(), [p]
            while stack:
                n = stack.pop()
                if n in seen:
                    continue
                seen.add(n)
                _, d, r = table[n]
                for x in d + (r if rec else []):
                    if x in stored and x != p:
                        if x not in out:
                            out.append(x)
                    elif x in table and x not in base:
                        stack.append(x)
            return out
        deps = frontier(False)
        recs = [x for x in frontier(True) if x not in deps]
        size = lambda xs: sum(table[x][0] for x in xs)
        folded[p] = (deps, recs, size(hidden_norec), len(hidden_norec), size(hidden_rec), len(hidden_rec))
    out = []
    for n, kib, deps, recs in rows:
        if n not in stored:
            continue
        if n in folded:
            deps, recs = folded[n][0], folded[n][1]
        out.append((n, kib, deps, recs))
    return out, folded


def emit_deb():
    path = os.path.join(HERE, "deb-bookworm.tsv")
    header = open(path).readline().lstrip("# ").strip()
    rows = []
    for line in open(path):
        if line.startswith("#"):
            continue
        n, kib, _ver, deps, recs = line.rstrip("\n").split("\t")
        rows.append((n, int(kib), deps.split(), recs.split()))
    rows, opaque = fold_opaque(rows)
    rows.sort()
    index = {r[0]: i for i, r in enumerate(rows)}
    assert len(rows) < 32768
    dep_of = {n: [d for d in deps if d in index] for n, _, deps, _ in rows}
    base_names = {l.strip() for l in open(os.path.join(HERE, "debian-bookworm-base.txt"))
                  if l.strip() and not l.startswith("#")}

    def reaches(start, target, avoid):
        """Is `target` reachable from `start` over Depends edges without visiting `avoid`
        or passing through a debian:bookworm package (a closure stops there)?"""
        seen, stack = {avoid}, [start]
        while stack:
            x = stack.pop()
            if x == target:
                return True
            if x in seen or x in base_names:
                continue
            seen.add(x)
            stack.extend(dep_of[x])
        return False

    # Transitive reduction of Depends edges (safe with cycles: a bypass may not go through
    # the package itself, nor through a base-image package where a closure stops). Closures
    # from the debian:bookworm set (or any subset of it) are unchanged.
    names, ends, sizes, big, starts, edges = "", [], [], [], [], []
    dropped = 0
    for i, (n, kib, deps, recs) in enumerate(rows):
        names += n
        ends.append(len(names))
        if kib < 65535:
            sizes.append(kib)
        else:
            sizes.append(65535)
            big.append((i, kib))
        starts.append(len(edges))
        ds = dep_of[n]
        # One edge at a time against the already-reduced graph, so two edges (or two
        # packages in a cycle) never justify each other's removal.
        kept = list(ds)
        for d in ds:
            if any(o != d and reaches(o, d, n) for o in kept):
                kept.remove(d)
        dep_of[n] = kept
        dropped += len(ds) - len(kept)
        # Edges into the base set (and the base packages' own edges) are not stored: a
        # closure always counts debian:bookworm's packages as installed.
        if n not in base_names:
            edges += [index[d] for d in kept if d not in base_names]
            edges += [index[r] | 0x8000 for r in recs
                      if r in index and r not in base_names and not any(reaches(o, r, n) for o in kept)]
    assert len(names) < 65536
    starts.append(len(edges))
    base = sorted(index[l.strip()] for l in open(os.path.join(HERE, "debian-bookworm-base.txt"))
                  if l.strip() and not l.startswith("#") and l.strip() in index)
    base_src = open(os.path.join(HERE, "debian-bookworm-base.txt")).read().split("\n")[1].lstrip("# ").strip()
    lists = open(os.path.join(HERE, "apt-lists.txt")).read().split("\n")
    lists_bytes = int(lists[0].split()[0])
    lists_src = lists[1].strip()

    def arr(xs, per=24):
        out = []
        for i in range(0, len(xs), per):
            out.append("    " + ", ".join(str(x) for x in xs[i:i + per]) + ",")
        return out
    lines = [HEADER, f"//! {header}", ""]
    lines.append(f"pub(super) const SOURCE: &str = {rs(header)};")
    lines.append(f"pub(super) const BASE_SOURCE: &str = {rs(base_src)};")
    lines.append(f"pub(super) const APT_LISTS_BYTES: u64 = {lists_bytes};")
    lines.append(f"pub(super) const APT_LISTS_SOURCE: &str = {rs(lists_src)};")
    lines.append("/// All package names, concatenated in sorted order.")
    lines.append(f"pub(super) static NAMES: &str = {rs(names)};")
    step = 32
    lens = [ends[0]] + [ends[k] - ends[k - 1] for k in range(1, len(ends))]
    counts = [starts[k + 1] - starts[k] for k in range(len(rows))]
    assert max(lens) < 256 and max(counts) < 256
    lines.append(f"/// Offsets are stored every {step} packages; a name/edge-list position is the checkpoint")
    lines.append("/// plus the lengths/counts since it (at most 31 additions).")
    lines.append(f"pub(super) const STEP: usize = {step};")
    lines.append(f"/// Byte length of each name in `NAMES`.\npub(super) static NAME_LEN: [u8; {len(lens)}] = [")
    lines += arr(lens, 40)
    lines.append("];")
    name_check = [0] + [ends[k - 1] for k in range(step, len(ends), step)]
    lines.append(f"/// Offset in `NAMES` of package `k * STEP`.\npub(super) static NAME_CHECK: [u16; {len(name_check)}] = [")
    lines += arr(name_check)
    lines.append("];")
    edge_check = [starts[k] for k in range(0, len(rows), step)]
    lines.append(f"/// Number of edges of each package.\npub(super) static EDGE_COUNT: [u8; {len(counts)}] = [")
    lines += arr(counts, 40)
    lines.append("];")
    lines.append(f"/// Offset in `EDGES` of package `k * STEP`'s edges.\npub(super) static EDGE_CHECK: [u16; {len(edge_check)}] = [")
    lines += arr(edge_check)
    lines.append("];")
    lines.append(f"/// Installed-Size (KiB) per package; 65535 = look in `BIG_KIB`.\npub(super) static SIZE_KIB: [u16; {len(sizes)}] = [")
    lines += arr(sizes)
    lines.append("];")
    lines.append("/// Installed-Size (KiB) of packages of 64 MiB or more: (index, KiB), sorted.")
    lines.append("pub(super) static BIG_KIB: &[(u16, u32)] = &[")
    lines += [f"    ({i}, {k})," for i, k in big]
    lines.append("];")
    lines.append(f"/// Package indices; bit 15 set = Recommends, clear = Depends/Pre-Depends. Depends edges")
    lines.append(f"/// implied by another Depends path are left out ({dropped} dropped), as are Recommends")
    lines.append("/// already reached through Depends, and edges into the debian:bookworm base set.")
    lines.append(f"pub(super) static EDGES: [u16; {len(edges)}] = [")
    lines += arr(edges)
    lines.append("];")
    lines.append("/// Seeds with folded private dependency trees: (index, KiB and package count of the")
    lines.append("/// private packages pulled without Recommends, the same with Recommends), sorted.")
    lines.append("pub(super) static FOLDED: &[(u16, u32, u16, u32, u16)] = &[")
    for name in sorted(opaque, key=lambda n: index[n]):
        _, _, kn, cn, kr, cr = opaque[name]
        lines.append(f"    ({index[name]}, {kn}, {cn}, {kr}, {cr}), // {name}")
    lines.append("];")
    lines.append(f"/// Indices of the packages in debian:bookworm(-slim).\npub(super) static BASE: [u16; {len(base)}] = [")
    lines += arr(base)
    lines.append("];")
    assert len(edges) < 65536
    write("deb_gen.rs", lines)


BLOCK_KINDS = {
    "go_binary": "GoBinary", "go_build_cache": "GoBuildCache", "go_mod_cache": "GoModCache",
    "go_toolchain": "GoToolchain", "rust_binary": "RustBinary", "rust_target_dir": "RustTargetDir",
    "npm_install": "NpmInstall", "npm_package": "NpmPackage", "pip_install": "PipInstall",
    "pip_cache": "PipCache", "npm_cache": "NpmCache", "apt_layer": "AptLayer", "node_runtime_layer": "NodeRuntime",
    "jre_jlink": "JreJlink", "java_jar": "JavaJar", "upx": "Upx",
}


def emit_blocks():
    rows = []
    for line_no, r in enumerate(csv.DictReader(open(os.path.join(DATA, "published-building-blocks.csv"))), start=2):
        if r["kind"] == "apk_installed":
            continue
        src = r["source"] if len(r["source"]) <= 70 else r["source"][:69].rstrip() + "…"
        rows.append((BLOCK_KINDS[r["kind"]], r["name"], r["variant"][:80], int(r["size_bytes"]), r["version"][:40], "Recorded",
                     src))
    for f in ("measured-go.csv", "measured-payloads.csv"):
        path = os.path.join(HERE, f)
        if not os.path.exists(path):
            continue
        for r in csv.reader(open(path)):
            if len(r) != 6 or not r[3].isdigit() or int(r[3]) == 0:
                continue
            rows.append((BLOCK_KINDS[r[0]], r[1], r[2], int(r[3]), r[4], "Measured", r[5]))
    rows.sort()
    lines = [HEADER, "use super::{Block, BlockKind, Method};", "",
             "/// Sorted by (kind, name, variant, bytes).", "pub(super) static BLOCKS: &[Block] = &["]
    for kind, name, variant, size, version, method, source in rows:
        lines.append(f"    Block {{ kind: BlockKind::{kind}, name: {rs(name)}, variant: {rs(variant)}, bytes: {size}, "
                     f"version: {rs(version)}, method: Method::{method}, source: {rs(source)} }},")
    lines.append("];")
    write("blocks_gen.rs", lines)


def main():
    sys.dont_write_bytecode = True
    sys.path.insert(0, HERE)
    emit_blocks()
    if "--refresh-apt" in sys.argv:
        import deb
        n = deb.snapshot(os.path.join(DATA, ".."), os.path.join(HERE, "deb-bookworm.tsv"))
        print(f"deb snapshot: {n} packages", file=sys.stderr)
    emit_deb()
    pkgs, seen_in = load_apk()
    recs = [json.loads(l) for l in open(os.path.join(DATA, "repoinfo-images.jsonl"))]
    by_id = {r["record_id"].split("@")[0]: r for r in recs}
    calib = apk_calibration(pkgs, seen_in, by_id)
    entries, recs, by_id, layer_ratios, published = build_images(pkgs, seen_in, calib)

    # Family compression ratios: whole-image uncompressed/compressed pairs with recorded totals.
    fam = defaultdict(lambda: [0, 0, 0, []])
    for e in entries:
        if e["tmethod"] != "Recorded":
            continue
        keys = {e["image"], "os:" + e["family"].lower(), "*"}
        for k in keys:
            fam[k][0] += e["total"]
            fam[k][1] += e["comp"]
            fam[k][2] += 1
            fam[k][3].append(f"{e['image']}:{e['tag']}@{e['date']}")
    ratios = {}
    for k, (u, c, n, ids) in fam.items():
        ratios[k] = (u / c, n, "on-disk/compressed totals of " + ", ".join(sorted(ids)[:6]) + (" …" if n > 6 else ""))

    def ratio_for(key):
        if key in ratios:
            return ratios[key][0], key
        return ratios["*"][0], "pooled"

    entries += extra_images(ratio_for)
    entries += extra_totals(entries, ratios, layer_ratios, pkgs, calib)
    image_aliases = []
    p = os.path.join(HERE, "image-aliases.csv")
    if os.path.exists(p):
        for r in csv.DictReader(open(p)):
            image_aliases.append((r["name"], r["canonical"], r["why"]))
    emit_images(entries, ratios, image_aliases)
    emit_apk(pkgs, calib, load_apk_deps())
    for k in sorted(ratios):
        print(f"ratio {k}: {ratios[k][0]:.3f} n={ratios[k][1]}", file=sys.stderr)
    for k in sorted(layer_ratios):
        print(f"{k}: {layer_ratios[k][0]:.3f} n={layer_ratios[k][1]}", file=sys.stderr)


if __name__ == "__main__":
    main()
