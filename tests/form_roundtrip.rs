//! Every sample record opened in its form and built back without a key pressed comes out
//! unchanged: the form's fields and the record's fields are one table, and no field is
//! lost, blanked or reformatted on the way (a typo in a field code would blank a field on
//! every edit).

mod common;

use atbalsts::domain::AnyRecord;
use atbalsts::i18n::Lang;
use atbalsts::tui::form::{Form, Purpose};
use common::Screen;

#[test]
fn every_sample_record_comes_back_unchanged_from_its_form() {
    let s = Screen::new(80, 24, Lang::En);
    let m = s.app.model();
    let today = s.app.today();
    let mut records: Vec<AnyRecord> = Vec::new();
    records.extend(m.organisations.iter().cloned().map(AnyRecord::Organisation));
    records.extend(m.events.iter().cloned().map(AnyRecord::Event));
    records.extend(m.participants.iter().cloned().map(AnyRecord::Participant));
    records.extend(m.attendance.iter().cloned().map(AnyRecord::Attendance));
    records.extend(m.indicators.iter().cloned().map(AnyRecord::Indicator));
    assert!(records.len() > 1000, "the sample has records of every kind");
    let mut changed = Vec::new();
    for r in &records {
        let mut form = Form::new(m, r.clone(), Purpose::Record, today);
        match form.build(m) {
            Some(back) if &back == r => {}
            Some(back) => changed.push(format!("{:?} {}:\n  was {r:?}\n  now {back:?}", r.table(), r.raw_id())),
            None => changed.push(format!(
                "{:?} {} does not build: {:?}",
                r.table(),
                r.raw_id(),
                form.fields.iter().filter_map(|f| f.error.clone()).collect::<Vec<_>>()
            )),
        }
    }
    assert!(
        changed.is_empty(),
        "{} of {} records changed:\n{}",
        changed.len(),
        records.len(),
        changed.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
}
