//! The bulk-file line reader over arbitrary bytes: it must never panic, and
//! every non-blank line is either a line or a reason naming a field.
#![no_main]

use core_server::bulk::reader::JsonlLines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut last = 0;
    for read in JsonlLines::new(bytes) {
        let read = read.expect("in-memory reads do not fail");
        assert!(read.number > last);
        assert!(read.offset <= bytes.len() as u64);
        last = read.number;
        if let Err(invalid) = read.line {
            assert!(!invalid.field.is_empty() && !invalid.reason.is_empty());
        }
    }
});
