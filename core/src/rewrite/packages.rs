//! Which OS packages only the build needs.
//!
//! The runtime stage re-installs the builder's packages minus these: compilers,
//! build systems, version control, toolchains and development headers.

/// Exact names of build-only packages across apt, apk, yum and dnf.
const BUILD_ONLY: &[&str] = &[
    "autoconf",
    "automake",
    "binutils",
    "bison",
    "build-base",
    "build-essential",
    "clang",
    "cmake",
    "cpp",
    "dpkg-dev",
    "flex",
    "g++",
    "gcc",
    "gcc-c++",
    "gfortran",
    "git",
    "glibc-static",
    "go",
    "go-md2man",
    "golang",
    "golang-go",
    "libtool",
    "linux-headers",
    "llvm",
    "make",
    "mercurial",
    "meson",
    "musl-dev",
    "nasm",
    "ninja",
    "ninja-build",
    "patch",
    "pkg-config",
    "pkgconf",
    "pkgconfig",
    "python-dev",
    "python2-dev",
    "python3-dev",
    "rust",
    "cargo",
    "subversion",
    "yasm",
    "openjdk-8-jdk",
    "default-jdk",
    "maven",
    "gradle",
    "python-pip",
    "python3-pip",
    "py-pip",
    "py3-pip",
    "unzip",
    "zip",
];

/// True when `package` (a name as written after `install`/`add`, maybe with
/// a version pin) is only needed to build.
pub fn is_build_only(package: &str) -> bool {
    let name = package_name(package);
    BUILD_ONLY.contains(&name)
        || name.ends_with("-dev")
        || name.ends_with("-devel")
        || name.ends_with("-static")
        || name.starts_with("golang-")
        || name.starts_with("gcc-")
        || name.starts_with("g++-")
        || name.starts_with("openjdk-") && name.ends_with("-jdk")
}

/// The bare name: `curl=7.88.1-10` → `curl`, `gcc~=12` → `gcc`.
pub fn package_name(package: &str) -> &str {
    let end = package.find(['=', '<', '>', '~']).unwrap_or(package.len());
    &package[..end]
}

/// The shared-library package an Alpine `-dev` package's programs need at
/// run time (`libffi-dev` → `libffi`), and run-time libraries compilers
/// leave behind (`g++` → `libstdc++`). `None` for headers-only packages.
pub fn alpine_runtime_library(package: &str) -> Option<&'static str> {
    let name = package_name(package);
    let mapped = match name {
        "libffi-dev" => "libffi",
        "libxml2-dev" => "libxml2",
        "libxslt-dev" => "libxslt",
        "openssl-dev" | "libressl-dev" => "openssl",
        "postgresql-dev" | "libpq-dev" => "libpq",
        "jpeg-dev" | "libjpeg-turbo-dev" => "libjpeg-turbo",
        "zlib-dev" => "zlib",
        "libpng-dev" => "libpng",
        "freetds-dev" => "freetds",
        "openblas-dev" => "openblas",
        "openldap-dev" => "libldap",
        "cyrus-sasl-dev" => "cyrus-sasl",
        "libseccomp-dev" => "libseccomp",
        "cairo-dev" => "cairo",
        "pango-dev" => "pango",
        "g++" | "build-base" => "libstdc++",
        "gfortran" => "libgfortran",
        "mariadb-dev" | "mariadb-connector-c-dev" => "mariadb-connector-c",
        "yaml-dev" => "yaml",
        "sqlite-dev" => "sqlite-libs",
        _ => return None,
    };
    Some(mapped)
}

/// Packages that bring a compiler or language toolchain.
pub fn is_compiler(package: &str) -> bool {
    matches!(
        package_name(package),
        "build-essential"
            | "build-base"
            | "gcc"
            | "g++"
            | "gcc-c++"
            | "clang"
            | "golang"
            | "golang-go"
            | "rust"
            | "cargo"
            | "openjdk-8-jdk"
            | "default-jdk"
            | "gfortran"
    ) || package_name(package).starts_with("golang-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_build_packages() {
        for build in [
            "gcc",
            "libffi-dev",
            "openssl-devel",
            "build-essential",
            "golang-1.9-go",
            "make=4.3-4",
        ] {
            assert!(is_build_only(build), "{build}");
        }
        for runtime in [
            "ca-certificates",
            "libffi8",
            "curl",
            "tzdata",
            "libncurses5",
            "kmod",
        ] {
            assert!(!is_build_only(runtime), "{runtime}");
        }
        assert!(is_compiler("gcc"));
        assert!(!is_compiler("make"));
    }
}
