//! Property-based fuzzing of what a client can send: arbitrary bodies at
//! every route of both APIs, arbitrary frames at both WebSockets, arbitrary
//! multipart uploads. `FUZZ_CASES=<n>` runs more cases than the test
//! command's quick pass.

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod bodies;
mod frames;
mod inputs;
mod multipart;
