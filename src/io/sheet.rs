//! `atbalsts sheet`: an event's sign-in sheet as an A4 PDF: the project's name and number,
//! the event's title, date, time, place and hours on every page, then numbered rows (name,
//! institution, an empty signature column), blank rows for walk-ins at the end. The font
//! (a subset of DejaVu Sans with every Latvian letter, src/io/fonts) is compiled in.

use crate::domain::{Event, EventId};
use crate::i18n::{self, M, f, t};
use crate::model::Model;
use printpdf::{IndirectFontRef, Line, Mm, PdfDocument, PdfLayerReference, Point};

const REGULAR: &[u8] = include_bytes!("fonts/AtbalstsSans.ttf");
const BOLD: &[u8] = include_bytes!("fonts/AtbalstsSans-Bold.ttf");

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 15.0;
const ROW_H: f32 = 9.0;
/// Column widths: No., name, institution, signature (mm); they fill the width inside margins.
const COLS: [f32; 4] = [11.0, 60.0, 64.0, 45.0];
const TEXT_PT: f32 = 10.0;
/// Millimetres per point.
const MM_PER_PT: f32 = 25.4 / 72.0;

/// One numbered line of the sheet: a person, or a blank for a walk-in.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub institution: String,
}

/// What a sheet shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub project: String,
    pub project_no: String,
    pub title: String,
    /// Date, time, place and hours, as lines under the title.
    pub facts: Vec<String>,
    pub lines: Vec<Row>,
}

/// Measures text in the embedded font.
struct Metrics<'a> {
    face: ttf_parser::Face<'a>,
}

impl Metrics<'_> {
    fn width_mm(&self, s: &str, pt: f32) -> f32 {
        let upem = self.face.units_per_em() as f32;
        let units: f32 = s
            .chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .unwrap_or((upem * 0.6) as u16) as f32
            })
            .sum();
        units / upem * pt * MM_PER_PT
    }

    /// `s` in lines that fit `mm` (a word longer than a line is cut), at most `max` lines.
    fn wrap(&self, s: &str, pt: f32, mm: f32, max: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for word in s.split_whitespace() {
            let candidate = if cur.is_empty() {
                word.to_string()
            } else {
                format!("{cur} {word}")
            };
            if self.width_mm(&candidate, pt) <= mm || cur.is_empty() {
                cur = candidate;
            } else {
                lines.push(std::mem::replace(&mut cur, word.to_string()));
            }
        }
        if !cur.is_empty() {
            lines.push(cur);
        }
        if lines.len() > max {
            let rest = lines.split_off(max - 1).join(" ");
            lines.push(rest);
        }
        lines.into_iter().map(|l| self.fit(&l, pt, mm)).collect()
    }

    /// `s` cut to fit `mm`, with "…" when cut.
    fn fit(&self, s: &str, pt: f32, mm: f32) -> String {
        if self.width_mm(s, pt) <= mm {
            return s.to_string();
        }
        let mut out = String::new();
        for c in s.chars() {
            out.push(c);
            if self.width_mm(&out, pt) + self.width_mm("…", pt) > mm {
                out.pop();
                break;
            }
        }
        out.push('…');
        out
    }
}

/// The sheet of an event: its registered people in the order of its attendance list
/// (surname, given name), then `blank` empty rows. `None` if there is no such event.
pub fn of_event(m: &Model, id: EventId, blank: usize) -> Option<Sheet> {
    let e = m.events.get(id.0)?;
    let rows = super::list::attendance_of_event(m, id)?;
    let text = |fields: &super::list::Fields, key: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let mut lines: Vec<Row> = rows
        .iter()
        .map(|r| Row {
            name: text(r, "name"),
            institution: text(r, "institution"),
        })
        .collect();
    lines.extend(std::iter::repeat_n(
        Row {
            name: String::new(),
            institution: String::new(),
        },
        blank,
    ));
    Some(Sheet {
        project: m.project.name.to_string(),
        project_no: m.project.number.to_string(),
        title: e.title.to_string(),
        facts: facts(e),
        lines,
    })
}

/// The event's date, time, place and hours, as the sheet prints them.
fn facts(e: &Event) -> Vec<String> {
    let when = if e.start.date() == e.end.date() {
        f(
            M::SheetWhen,
            &[
                &i18n::date(e.start.date()),
                &format!("{}–{}", e.start.format("%H:%M"), e.end.format("%H:%M")),
            ],
        )
    } else {
        f(
            M::SheetWhen,
            &[
                &format!("{} – {}", i18n::date(e.start.date()), i18n::date(e.end.date())),
                &format!("{}–{}", e.start.format("%H:%M"), e.end.format("%H:%M")),
            ],
        )
    };
    let place = if e.online && e.place.is_empty() {
        t(M::SheetOnline).to_string()
    } else {
        e.place.to_string()
    };
    vec![when, f(M::SheetPlaceHours, &[&place, &e.hours])]
}

fn line(layer: &PdfLayerReference, x1: f32, y1: f32, x2: f32, y2: f32) {
    layer.add_line(Line {
        points: vec![(Point::new(Mm(x1), Mm(y1)), false), (Point::new(Mm(x2), Mm(y2)), false)],
        is_closed: false,
    });
}

/// Renders the sheet as PDF bytes.
pub fn render(sheet: &Sheet) -> Result<Vec<u8>, printpdf::Error> {
    let metrics = Metrics {
        face: ttf_parser::Face::parse(REGULAR, 0)
            .map_err(|e| printpdf::Error::Io(std::io::Error::other(e.to_string())))?,
    };
    let (doc, page1, layer1) = PdfDocument::new(&sheet.title, Mm(PAGE_W), Mm(PAGE_H), "sheet");
    let regular = doc.add_external_font(REGULAR)?;
    let bold = doc.add_external_font(BOLD)?;
    let inner = PAGE_W - 2.0 * MARGIN;
    let title = metrics.wrap(&sheet.title, 14.0, inner, 3);
    // Header height: project, title lines, facts, a gap.
    let top_of_table = PAGE_H - MARGIN - 8.0 - 6.5 * title.len() as f32 - 6.0 * sheet.facts.len() as f32 - 6.0;
    let bottom = MARGIN + 10.0;
    let per_page = (((top_of_table - ROW_H - bottom) / ROW_H).floor() as usize).max(1);
    let pages = sheet.lines.len().div_ceil(per_page).max(1);
    let mut page_layer = Some((page1, layer1));
    for p in 0..pages {
        let (page, layer) = match page_layer.take() {
            Some(pl) => pl,
            None => doc.add_page(Mm(PAGE_W), Mm(PAGE_H), "sheet"),
        };
        let layer = doc.get_page(page).get_layer(layer);
        header(&layer, sheet, &title, (&regular, &bold), &metrics, inner);
        // The table.
        let mut y = top_of_table;
        let heads = [
            t(M::SheetNo),
            t(M::SheetName),
            t(M::SheetInstitution),
            t(M::SheetSignature),
        ];
        layer.set_outline_thickness(0.5);
        line(&layer, MARGIN, y, MARGIN + inner, y);
        let mut x = MARGIN;
        for (h, w) in heads.iter().zip(COLS) {
            layer.use_text(
                metrics.fit(h, TEXT_PT, w - 2.0),
                TEXT_PT,
                Mm(x + 1.5),
                Mm(y - 6.0),
                &bold,
            );
            x += w;
        }
        let chunk = &sheet.lines[(p * per_page).min(sheet.lines.len())..((p + 1) * per_page).min(sheet.lines.len())];
        let rows_here = chunk.len().max(if sheet.lines.is_empty() { 0 } else { 1 });
        for (i, l) in chunk.iter().enumerate() {
            y -= ROW_H;
            let no = format!("{}.", p * per_page + i + 1);
            let cells = [no.as_str(), l.name.as_str(), l.institution.as_str()];
            let mut x = MARGIN;
            for (c, w) in cells.iter().zip(COLS) {
                if !c.is_empty() {
                    layer.use_text(
                        metrics.fit(c, TEXT_PT, w - 3.0),
                        TEXT_PT,
                        Mm(x + 1.5),
                        Mm(y - 6.0),
                        &regular,
                    );
                }
                x += w;
            }
            layer.set_outline_thickness(0.3);
            line(&layer, MARGIN, y, MARGIN + inner, y);
        }
        let y_end = top_of_table - ROW_H * (rows_here as f32 + 1.0);
        let y_head = top_of_table - ROW_H;
        layer.set_outline_thickness(0.5);
        line(&layer, MARGIN, y_head, MARGIN + inner, y_head);
        line(&layer, MARGIN, y_end, MARGIN + inner, y_end);
        let mut x = MARGIN;
        for w in std::iter::once(0.0).chain(COLS) {
            x += w;
            line(&layer, x, top_of_table, x, y_end);
        }
        // Footer: the funding line and the page number.
        let foot = t(M::SheetFunding);
        layer.use_text(
            metrics.fit(foot, 7.0, inner - 25.0),
            7.0,
            Mm(MARGIN),
            Mm(MARGIN),
            &regular,
        );
        let page_no = f(M::SheetPage, &[&(p + 1), &pages]);
        let w = metrics.width_mm(&page_no, 8.0);
        layer.use_text(page_no, 8.0, Mm(MARGIN + inner - w), Mm(MARGIN), &regular);
    }
    doc.save_to_bytes()
}

/// The part repeated on every page: project, title, facts.
fn header(
    layer: &PdfLayerReference,
    s: &Sheet,
    title: &[String],
    (regular, bold): (&IndirectFontRef, &IndirectFontRef),
    m: &Metrics,
    inner: f32,
) {
    let mut y = PAGE_H - MARGIN - 3.0;
    let project = if s.project_no.is_empty() {
        s.project.clone()
    } else {
        format!("{} ({})", s.project, f(M::SheetProjectNo, &[&s.project_no]))
    };
    layer.use_text(m.fit(&project, 9.0, inner), 9.0, Mm(MARGIN), Mm(y), regular);
    y -= 8.0;
    for l in title {
        layer.use_text(l.as_str(), 14.0, Mm(MARGIN), Mm(y), bold);
        y -= 6.5;
    }
    y -= 0.5;
    for fact in &s.facts {
        layer.use_text(m.fit(fact, 10.0, inner), 10.0, Mm(MARGIN), Mm(y), regular);
        y -= 6.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_latvian_letter_is_in_the_font() {
        let face = ttf_parser::Face::parse(REGULAR, 0).expect("font");
        let bold = ttf_parser::Face::parse(BOLD, 0).expect("font");
        for c in "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ„“–…€№".chars() {
            assert!(face.glyph_index(c).is_some(), "{c}");
            assert!(bold.glyph_index(c).is_some(), "{c}");
        }
    }

    #[test]
    fn long_text_is_cut_to_its_column() {
        let m = Metrics {
            face: ttf_parser::Face::parse(REGULAR, 0).expect("font"),
        };
        let long = "Ā".repeat(10_000);
        let cut = m.fit(&long, TEXT_PT, 50.0);
        assert!(cut.ends_with('…'));
        assert!(m.width_mm(&cut, TEXT_PT) <= 50.0);
        assert_eq!(m.fit("Anna", TEXT_PT, 50.0), "Anna");
        let lines = m.wrap(
            "Pašvaldību izglītības speciālistu apmācības: profesionālā atbalsta sistēma",
            14.0,
            60.0,
            3,
        );
        assert!(lines.len() > 1 && lines.len() <= 3, "{lines:?}");
        assert!(lines.iter().all(|l| m.width_mm(l, 14.0) <= 60.0), "{lines:?}");
    }

    #[test]
    fn a_sheet_renders_as_pdf() {
        let s = Sheet {
            project: "Pedagogu profesionālā atbalsta sistēmas izveide".into(),
            project_no: "4.2.2.3/1/24/I/001".into(),
            title: "Seminārs".into(),
            facts: vec!["14.03.2025.".into()],
            lines: (0..100)
                .map(|i| Row {
                    name: format!("Ņina Šķēle {i}"),
                    institution: "Cēsu 1. pamatskola".into(),
                })
                .collect(),
        };
        let pdf = render(&s).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
        // The font is embedded once, not per page.
        let empty = render(&Sheet { lines: vec![], ..s }).expect("pdf");
        assert!(empty.starts_with(b"%PDF"));
    }
}
