//! A `split` build of the dashboard keeps its relocations in the `.wasm`:
//! xtask's splitter (xtask/src/split.rs) needs them to move functions and
//! data into the part modules. Other builds are not touched.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let split = std::env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if split && wasm {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
