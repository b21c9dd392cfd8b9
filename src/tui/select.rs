//! Keeping a list's selected row (and its scroll offset) within the list: the one place
//! that clamps a selection, so that an empty list, the last row and a list that shrank are
//! handled alike everywhere (panes, desk, attendance list, palette, reference picks, help).

/// The rows a movement key asks to move by in a list whose view holds `page` rows (`g`/`G`
/// as far as the list goes); `None` for any other action. One table for every list.
pub fn moved(a: super::keymap::Action, page: usize) -> Option<isize> {
    use super::keymap::Action;
    let page = page as isize;
    Some(match a {
        Action::MoveDown => 1,
        Action::MoveUp => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::First => isize::MIN / 2,
        Action::Last => isize::MAX / 2,
        _ => return None,
    })
}

/// The last row of a list of `n` rows (0 when the list is empty).
pub fn last(n: usize) -> usize {
    n.saturating_sub(1)
}

/// `selected` kept within a list of `n` rows (0 when the list is empty).
pub fn clamp(selected: usize, n: usize) -> usize {
    selected.min(last(n))
}

/// `selected` moved by `delta` rows, kept within a list of `n` rows.
pub fn step(selected: usize, delta: isize, n: usize) -> usize {
    clamp(selected.saturating_add_signed(delta), n)
}

/// The scroll offset that keeps row `selected` within a `page` of visible rows starting at
/// `offset` (moving as little as possible).
pub fn in_view(selected: usize, offset: usize, page: usize) -> usize {
    let page = page.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + page {
        selected + 1 - page
    } else {
        offset
    }
}

/// Moves a list's selection by `delta` rows among `n`, scrolling so that it stays within
/// a `page` of visible rows. An empty list is left as it is.
pub fn move_in_list(selected: &mut usize, offset: &mut usize, n: usize, delta: isize, page: usize) {
    if n == 0 {
        return;
    }
    *selected = step(*selected, delta, n);
    *offset = in_view(*selected, *offset, page);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_moves_alike_on_the_movement_keys() {
        use crate::tui::keymap::Action;
        let n = 10;
        let go = |a, from| moved(a, 4).map(|d| step(from, d, n));
        assert_eq!(go(Action::MoveDown, 9), Some(9), "the last row stays");
        assert_eq!(go(Action::MoveUp, 0), Some(0));
        assert_eq!(go(Action::PageDown, 3), Some(7));
        assert_eq!(go(Action::PageUp, 3), Some(0));
        assert_eq!(go(Action::First, 6), Some(0));
        assert_eq!(go(Action::Last, 2), Some(9));
        assert_eq!(moved(Action::Edit, 4), None, "not a movement");
    }
    use proptest::prelude::*;

    #[test]
    fn the_last_row_is_reached_and_never_passed() {
        assert_eq!(clamp(5, 5), 4, "row 5 of 5 rows is past the end");
        assert_eq!(clamp(4, 5), 4);
        assert_eq!(clamp(3, 0), 0, "an empty list selects row 0");
        assert_eq!(step(3, 1, 5), 4);
        assert_eq!(step(4, 1, 5), 4, "down on the last row stays there");
        assert_eq!(step(0, -1, 5), 0, "up on the first row stays there");
        assert_eq!(step(9, -1, 5), 4, "a list that shrank under the selection");
    }

    #[test]
    fn scrolling_keeps_the_selection_on_the_page() {
        // Ten rows, five visible: the fifth row down still fits, the sixth scrolls by one.
        let (mut sel, mut off) = (0, 0);
        move_in_list(&mut sel, &mut off, 10, 4, 5);
        assert_eq!((sel, off), (4, 0));
        move_in_list(&mut sel, &mut off, 10, 1, 5);
        assert_eq!((sel, off), (5, 1));
        move_in_list(&mut sel, &mut off, 10, 100, 5);
        assert_eq!((sel, off), (9, 5));
        move_in_list(&mut sel, &mut off, 10, -7, 5);
        assert_eq!((sel, off), (2, 2));
        let (mut sel, mut off) = (3, 1);
        move_in_list(&mut sel, &mut off, 0, 1, 5);
        assert_eq!((sel, off), (3, 1), "an empty list is left alone");
    }

    proptest! {
        #[test]
        fn a_moved_selection_is_a_row_of_the_list_and_visible(
            n in 1usize..50,
            sel in 0usize..60,
            off in 0usize..60,
            delta in -70isize..70,
            page in 0usize..20,
        ) {
            let (mut s, mut o) = (sel, off);
            move_in_list(&mut s, &mut o, n, delta, page);
            prop_assert!(s < n);
            prop_assert!(o <= s && s < o + page.max(1));
        }
    }
}
