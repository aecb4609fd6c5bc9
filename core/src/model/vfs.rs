//! A virtual filesystem per stage: which paths exist, how big we think they
//! are and which layer wrote them.
//!
//! The layer rule that follows from overlay filesystems is simple: a layer
//! holds exactly the entries whose `layer` is that layer's index. Writing a
//! path again in a later layer adds a new copy (the old bytes stay in the
//! older layer); deleting a path written by an older layer only hides it
//! (a whiteout, 0 bytes), while deleting something the same layer wrote
//! means it never lands.

/// An estimated byte count with its plausible range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ByteRange {
    /// Smallest plausible size.
    pub low: u64,
    /// Best estimate.
    pub est: u64,
    /// Largest plausible size.
    pub high: u64,
}

impl ByteRange {
    /// Zero bytes, known exactly.
    pub const ZERO: ByteRange = ByteRange {
        low: 0,
        est: 0,
        high: 0,
    };

    /// A size known exactly.
    pub const fn exact(bytes: u64) -> Self {
        ByteRange {
            low: bytes,
            est: bytes,
            high: bytes,
        }
    }

    /// `est` with `low`/`high` a relative margin either side (0.1 = ±10%).
    pub fn around(est: u64, margin: f64) -> Self {
        let margin = margin.clamp(0.0, 1.0);
        ByteRange {
            low: (est as f64 * (1.0 - margin)) as u64,
            est,
            high: (est as f64 * (1.0 + margin)) as u64,
        }
    }

    /// An explicit range; the estimate is clamped into it.
    pub fn new(low: u64, est: u64, high: u64) -> Self {
        let (low, high) = (low.min(high), high.max(low));
        ByteRange {
            low,
            est: est.clamp(low, high),
            high,
        }
    }

    /// Component-wise sum (saturating).
    #[must_use]
    pub fn plus(self, other: ByteRange) -> Self {
        ByteRange {
            low: self.low.saturating_add(other.low),
            est: self.est.saturating_add(other.est),
            high: self.high.saturating_add(other.high),
        }
    }

    /// Component-wise scaling (for "n copies" or ratios).
    #[must_use]
    pub fn scale(self, factor: f64) -> Self {
        let factor = if factor.is_finite() {
            factor.max(0.0)
        } else {
            0.0
        };
        ByteRange {
            low: (self.low as f64 * factor) as u64,
            est: (self.est as f64 * factor) as u64,
            high: (self.high as f64 * factor) as u64,
        }
    }

    /// True when all three are zero.
    pub fn is_zero(self) -> bool {
        self.high == 0
    }
}

impl std::iter::Sum for ByteRange {
    fn sum<I: Iterator<Item = ByteRange>>(iter: I) -> Self {
        iter.fold(ByteRange::ZERO, ByteRange::plus)
    }
}

/// What a path holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// One file.
    File,
    /// A directory tree whose total we estimate as a whole (a toolchain, a
    /// package cache, `node_modules`, a base image's root filesystem).
    Tree,
}

/// One path in the filesystem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Absolute, normalised path (`/usr/local/go`).
    pub path: String,
    /// Estimated bytes.
    pub size: ByteRange,
    /// Index of the layer (in the stage's chain, base layers first) that wrote it.
    pub layer: u32,
    /// File or aggregate tree.
    pub kind: EntryKind,
    /// What it is, in a few words (`Go build cache`, `hello.go`).
    pub label: String,
}

/// The estimated filesystem of one stage at one point in its build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vfs {
    /// Visible entries, at most one per path, oldest first.
    entries: Vec<Entry>,
    /// Bytes each layer holds, by layer index (hidden copies included).
    layer_totals: Vec<ByteRange>,
}

/// `/a/./b/` → `/a/b`; relative paths are resolved against `cwd`.
pub fn absolute(path: &str, cwd: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// True when `path` is `dir` or inside it.
pub fn is_within(path: &str, dir: &str) -> bool {
    dir == "/"
        || path == dir
        || (path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/')
}

impl Vfs {
    /// An empty filesystem (`FROM scratch`).
    pub fn new() -> Self {
        Vfs::default()
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Write `entry`, replacing what is visible at the same path. A copy the
    /// same layer wrote is gone; an older layer's copy keeps its bytes in
    /// that older layer.
    pub fn write(&mut self, entry: Entry) {
        if let Some(index) = self.entries.iter().position(|old| old.path == entry.path) {
            let old = self.entries.remove(index);
            if old.layer == entry.layer {
                self.subtract(old.layer, old.size);
            }
        }
        let slot = self.total_mut(entry.layer);
        *slot = slot.plus(entry.size);
        self.entries.push(entry);
    }

    fn total_mut(&mut self, layer: u32) -> &mut ByteRange {
        let index = layer as usize;
        if self.layer_totals.len() <= index {
            self.layer_totals.resize(index + 1, ByteRange::ZERO);
        }
        &mut self.layer_totals[index]
    }

    fn subtract(&mut self, layer: u32, size: ByteRange) {
        let slot = self.total_mut(layer);
        *slot = ByteRange {
            low: slot.low.saturating_sub(size.low),
            est: slot.est.saturating_sub(size.est),
            high: slot.high.saturating_sub(size.high),
        };
    }

    /// Delete `path` and everything under it in layer `layer`. Entries the
    /// same layer wrote vanish (returned in `.0`); entries from older layers
    /// are hidden by a whiteout but their bytes stay in the image (`.1`).
    pub fn delete(&mut self, path: &str, layer: u32) -> (Vec<Entry>, Vec<Entry>) {
        let mut vanished = Vec::new();
        let mut hidden = Vec::new();
        let mut kept = Vec::with_capacity(self.entries.len());
        for entry in std::mem::take(&mut self.entries) {
            if is_within(&entry.path, path) {
                if entry.layer == layer {
                    self.subtract(entry.layer, entry.size);
                    vanished.push(entry);
                } else {
                    hidden.push(entry);
                }
            } else {
                kept.push(entry);
            }
        }
        self.entries = kept;
        (vanished, hidden)
    }

    /// Entries at or under `path` (what `COPY --from` or `chmod -R` touches).
    pub fn under<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries
            .iter()
            .filter(move |entry| is_within(&entry.path, path))
    }

    /// The nearest tree entry that contains `path` without being it: we know
    /// `path` is somewhere inside, but not its share of the tree's bytes.
    pub fn enclosing_tree(&self, path: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .filter(|entry| {
                entry.kind == EntryKind::Tree && entry.path != path && is_within(path, &entry.path)
            })
            .max_by_key(|entry| entry.path.len())
    }

    /// Bytes the given layer holds (including copies later layers hide).
    pub fn layer_bytes(&self, layer: u32) -> ByteRange {
        self.layer_totals
            .get(layer as usize)
            .copied()
            .unwrap_or(ByteRange::ZERO)
    }

    /// Visible entries the given layer wrote.
    pub fn layer_entries(&self, layer: u32) -> impl Iterator<Item = &Entry> + '_ {
        self.entries
            .iter()
            .filter(move |entry| entry.layer == layer)
    }

    /// True when something exists at or under `path`.
    pub fn exists(&self, path: &str) -> bool {
        self.under(path).next().is_some() || self.enclosing_tree(path).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, bytes: u64, layer: u32) -> Entry {
        Entry {
            path: path.into(),
            size: ByteRange::exact(bytes),
            layer,
            kind: EntryKind::File,
            label: String::new(),
        }
    }

    #[test]
    fn deleting_in_the_same_layer_shrinks_it() {
        let mut vfs = Vfs::new();
        vfs.write(entry("/var/lib/apt/lists/a", 40_000_000, 3));
        vfs.write(entry("/usr/bin/curl", 300_000, 3));
        let (vanished, hidden) = vfs.delete("/var/lib/apt/lists", 3);
        assert_eq!(vanished.len(), 1);
        assert!(hidden.is_empty());
        assert_eq!(vfs.layer_bytes(3).est, 300_000);
    }

    #[test]
    fn deleting_in_a_later_layer_does_not_shrink() {
        let mut vfs = Vfs::new();
        vfs.write(entry("/tmp/big.tar", 50_000_000, 1));
        let (vanished, hidden) = vfs.delete("/tmp", 2);
        assert!(vanished.is_empty());
        assert_eq!(hidden.len(), 1);
        assert_eq!(vfs.layer_bytes(1).est, 50_000_000, "still in layer 1");
        assert_eq!(vfs.layer_bytes(2).est, 0, "a whiteout costs nothing");
        assert!(!vfs.exists("/tmp/big.tar"));
    }

    #[test]
    fn rewriting_in_a_later_layer_duplicates() {
        let mut vfs = Vfs::new();
        vfs.write(entry("/app/a", 10, 1));
        vfs.write(entry("/app/a", 10, 2));
        assert_eq!(vfs.layer_bytes(1).est, 10);
        assert_eq!(vfs.layer_bytes(2).est, 10);
        vfs.write(entry("/app/a", 12, 2));
        assert_eq!(vfs.layer_bytes(2).est, 12);
        assert_eq!(vfs.under("/app").count(), 1, "one visible copy");
    }

    #[test]
    fn paths_and_trees() {
        assert_eq!(absolute("hello.go", "/build"), "/build/hello.go");
        assert_eq!(absolute("../x/./y/", "/a/b"), "/a/x/y");
        assert_eq!(absolute("/", "/a"), "/");
        assert!(is_within("/usr/local/go/bin", "/usr/local/go"));
        assert!(!is_within("/usr/local/gopher", "/usr/local/go"));
        let mut vfs = Vfs::new();
        vfs.write(Entry {
            kind: EntryKind::Tree,
            ..entry("/usr/local/go", 300, 0)
        });
        assert_eq!(
            vfs.enclosing_tree("/usr/local/go/bin/go")
                .map(|e| e.path.as_str()),
            Some("/usr/local/go")
        );
        assert!(vfs.exists("/usr/local/go/bin/go"));
        assert!(!vfs.exists("/opt"));
    }

    #[test]
    fn ranges_add_and_scale() {
        let a = ByteRange::around(1000, 0.1);
        assert_eq!((a.low, a.est, a.high), (900, 1000, 1100));
        let sum: ByteRange = [a, ByteRange::exact(5)].into_iter().sum();
        assert_eq!(sum.est, 1005);
        assert_eq!(ByteRange::new(10, 50, 20).est, 20);
        assert_eq!(a.scale(2.0).high, 2200);
        assert_eq!(a.scale(f64::NAN), ByteRange::ZERO);
    }
}
