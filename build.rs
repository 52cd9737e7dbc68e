// The staffroom binary is linked as a position-dependent executable (`-no-pie`):
// as a PIE it carried 65,000 relocations that the loader applies at every start
// (575 page faults; 4 ms of a `staffroom --version`, against 1.7 ms now with 159),
// which put the login screen at twice the terminal's own floor. The libraries, the
// stack and the heap are still placed at random; only the binary's own code is
// not. A link argument of the binary alone: no dependency is rebuilt for it.
fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
