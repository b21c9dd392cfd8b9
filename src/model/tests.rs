//! Model index tests.

#[test]
fn record_sizes_stay_small() {
    use crate::domain::*;
    // Millions of these live in memory: a size regression is a memory regression.
    eprintln!(
        "sizes: attendance {} participant {} event {} option<attendance> {}",
        std::mem::size_of::<Attendance>(),
        std::mem::size_of::<Participant>(),
        std::mem::size_of::<Event>(),
        std::mem::size_of::<Option<Attendance>>()
    );
    assert!(std::mem::size_of::<Option<Attendance>>() <= 40);
    assert!(std::mem::size_of::<Option<Participant>>() <= 192);
}
