//! The one registry of the screen's actions: what each does (for help and the palette)
//! and the palette's command words, as message keys worded by i18n in the reader's
//! language. The keymap binds keys to these actions; nothing else names them.

use super::keymap::Action;
use crate::i18n::{M, t};

/// What an action does, as a message key (every action has one: the match is exhaustive).
pub fn says(a: Action) -> M {
    match a {
        Action::Quit => M::ActQuit,
        Action::Help => M::ActHelp,
        Action::Close => M::ActClose,
        Action::PanePartners => M::ActPanePartners,
        Action::PaneEvents => M::ActPaneEvents,
        Action::PaneParticipants => M::ActPaneParticipants,
        Action::PaneIndicators => M::ActPaneIndicators,
        Action::NextPane => M::ActNextPane,
        Action::PrevPane => M::ActPrevPane,
        Action::MoveUp => M::ActMoveUp,
        Action::MoveDown => M::ActMoveDown,
        Action::PageUp => M::ActPageUp,
        Action::PageDown => M::ActPageDown,
        Action::First => M::ActFirst,
        Action::Last => M::ActLast,
        Action::Filter => M::ActFilter,
        Action::FilterAccept => M::ActFilterAccept,
        Action::FilterClear => M::ActFilterClear,
        Action::DeleteBack => M::ActDeleteBack,
        Action::DeleteWord => M::ActDeleteWord,
        Action::ClearLine => M::ActClearLine,
        Action::Palette => M::ActPalette,
        Action::Run => M::ActRun,
        Action::Add => M::ActAdd,
        Action::Edit => M::ActEdit,
        Action::Delete => M::ActDelete,
        Action::Undo => M::ActUndo,
        Action::CheckIn => M::ActCheckIn,
        Action::Attendance => M::ActAttendance,
        Action::DeleteForward => M::ActDeleteForward,
        Action::KillToEnd => M::ActKillToEnd,
        Action::CursorLeft => M::ActCursorLeft,
        Action::CursorRight => M::ActCursorRight,
        Action::LineStart => M::ActLineStart,
        Action::LineEnd => M::ActLineEnd,
        Action::NextField => M::ActNextField,
        Action::PrevField => M::ActPrevField,
        Action::Save => M::ActSave,
        Action::Yes => M::ActYes,
        Action::No => M::ActNo,
        Action::WalkIn => M::ActWalkIn,
        Action::ToggleAttended => M::ActToggleAttended,
        Action::MarkAbsent => M::ActMarkAbsent,
        Action::MarkExcused => M::ActMarkExcused,
        Action::MarkRestAbsent => M::ActMarkRestAbsent,
        Action::History => M::ActHistory,
        Action::OpenGaps => M::ActOpenGaps,
        Action::Detail => M::ActDetail,
        Action::Import => M::ActImport,
        Action::Duplicates => M::ActDuplicates,
        Action::Skip => M::ActSkip,
        Action::Swap => M::ActSwap,
        Action::Project => M::ActProject,
        Action::Documents => M::ActDocuments,
        Action::Values => M::ActValues,
        Action::Encoding => M::ActEncoding,
        Action::Sheet => M::ActSheet,
        Action::MapColumn => M::ActMapColumn,
        Action::Messages => M::ActMessages,
    }
}

/// What an action does, in the reader's language.
pub fn describe(a: Action) -> &'static str {
    t(says(a))
}

/// The palette's commands that run an action, by their words.
pub const COMMANDS: &[(M, Action)] = &[
    (M::CmdPanePartners, Action::PanePartners),
    (M::CmdPaneEvents, Action::PaneEvents),
    (M::CmdPaneParticipants, Action::PaneParticipants),
    (M::CmdPaneIndicators, Action::PaneIndicators),
    (M::CmdFilter, Action::Filter),
    (M::CmdAdd, Action::Add),
    (M::CmdEdit, Action::Edit),
    (M::CmdDelete, Action::Delete),
    (M::CmdUndo, Action::Undo),
    (M::CmdCheckIn, Action::CheckIn),
    (M::CmdAttendance, Action::Attendance),
    (M::CmdOpenGaps, Action::OpenGaps),
    (M::CmdHistory, Action::History),
    (M::CmdNextPane, Action::NextPane),
    (M::CmdPrevPane, Action::PrevPane),
    (M::CmdFirst, Action::First),
    (M::CmdLast, Action::Last),
    (M::CmdHelp, Action::Help),
    (M::CmdQuit, Action::Quit),
    (M::CmdImport, Action::Import),
    (M::CmdDuplicates, Action::Duplicates),
    (M::CmdProject, Action::Project),
    (M::CmdDocuments, Action::Documents),
    (M::CmdValues, Action::Values),
    (M::CmdMessages, Action::Messages),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_action_and_command_is_worded_in_both_languages() {
        for (m, a) in COMMANDS {
            assert!(!m.tr(Lang::En).is_empty() && !m.tr(Lang::Lv).is_empty(), "{a:?}");
            assert_ne!(says(*a).tr(Lang::En), says(*a).tr(Lang::Lv), "{a:?} is translated");
        }
    }
}
