// The start-up floor of any Rust program: std's runtime and a line on stdout, nothing else.
// bench/run builds it with `rustc -O` (the same toolchain as places-setup) into target/bench-peers.
fn main() {
    println!("hello");
}
