//! What a key, a paste or the mouse wheel does, by where the focus is.
//!
//! Function keys and Ctrl chords act wherever the focus is (keys.rs at the
//! crate's root is their table). Letters never do: in the input they are
//! text, and in the proceedings, where ↑ ↓ select a message and Enter
//! offers what can be done with it, a letter (in any script) goes back to
//! the input with the focus, so that prose typed in the wrong place is
//! text and never a procedural act.

use super::*;

pub(super) fn on_paste(app: &mut App, text: &str) {
    match &mut app.overlay {
        Some(Overlay::Prompt { input, .. }) => input.insert(text),
        Some(Overlay::Palette { filter, .. }) => filter.insert(text),
        Some(Overlay::Search { query, .. }) => query.insert(&text.replace('\n', " ")),
        Some(_) => {}
        None => {
            // Pasted lines stay in the input, however many: Enter sends.
            app.focus = Focus::Input;
            app.input.insert(text);
        }
    }
}

pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if app.overlay.is_some() {
        return overlay_key(app, key);
    }
    if let Some(command) = bindings::lookup(key.code, key.modifiers) {
        let command = resolve_toggle(app, command, key.code);
        return run_command_from(app, command, Origin::Key);
    }
    // Alt with the arrows and pages scrolls the participants.
    if key.modifiers.contains(KeyModifiers::ALT) {
        let page = app.members_page() as isize;
        let lines = match key.code {
            KeyCode::Up => Some(-1),
            KeyCode::Down => Some(1),
            KeyCode::PageUp => Some(-page),
            KeyCode::PageDown => Some(page),
            KeyCode::Home => Some(isize::MIN / 2),
            KeyCode::End => Some(isize::MAX / 2),
            _ => None,
        };
        if let Some(lines) = lines {
            return scroll_members(app, lines);
        }
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let transcript = app.focus == Focus::Transcript;
    match key.code {
        KeyCode::PageUp => return scroll_up(app, app.page()),
        KeyCode::PageDown => {
            scroll_down(app, app.page());
            return Vec::new();
        }
        KeyCode::Home if ctrl || transcript => return scroll_up(app, usize::MAX / 2),
        KeyCode::End if ctrl || transcript => {
            scroll_down(app, usize::MAX);
            return Vec::new();
        }
        _ => {}
    }
    if transcript {
        transcript_key(app, key)
    } else {
        input_key(app, key)
    }
}

/// A key bound to one half of a pair acts on the half that applies now.
pub(super) fn resolve_toggle(app: &App, command: Command, code: KeyCode) -> Command {
    let state = app.state();
    let paused = state
        .and_then(|s| s.floor.as_ref())
        .is_some_and(|f| matches!(f.clock, ClockView::Paused { .. }));
    match command {
        Command::PauseClock if paused => Command::ResumeClock,
        Command::CloseList if state.is_some_and(|s| s.list_closed) => Command::OpenList,
        Command::RoomLock if state.is_some_and(|s| s.locked) => Command::RoomUnlock,
        Command::RequestFloor if code == KeyCode::F(2) && app.my_place().is_some() => {
            Command::Withdraw
        }
        other => other,
    }
}

/// Whether the input's text is right to left (then ← moves towards its end).
fn input_is_rtl(app: &App) -> bool {
    app.bidi == BidiMode::App
        && crate::bidi::has_rtl(app.input.text())
        && crate::bidi::is_rtl_paragraph(app.input.text(), false)
}

pub(super) fn input_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    if !matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
        app.completion = None;
    }
    match key.code {
        KeyCode::Enter if alt || shift => app.input.insert("\n"),
        KeyCode::Char('j') if ctrl => app.input.insert("\n"),
        KeyCode::Enter => return submit(app),
        KeyCode::Char('a') if ctrl => app.input.home(),
        KeyCode::Char('e') if ctrl => app.input.end(),
        KeyCode::Char('u') if ctrl => app.input.kill_to_start(),
        KeyCode::Char('w') if ctrl => app.input.kill_word(),
        KeyCode::Char(c) if !ctrl && !alt => app.input.insert_char(c),
        KeyCode::Backspace => app.input.backspace(),
        KeyCode::Delete => app.input.delete(),
        // The arrows move the way they point: in right-to-left text, ←
        // goes towards the end of what is written.
        KeyCode::Left if input_is_rtl(app) => app.input.right(),
        KeyCode::Right if input_is_rtl(app) => app.input.left(),
        KeyCode::Left => app.input.left(),
        KeyCode::Right => app.input.right(),
        KeyCode::Home => app.input.home(),
        // End also brings the record back to its newest line.
        KeyCode::End => {
            app.input.end();
            scroll_down(app, usize::MAX);
        }
        KeyCode::Up if app.input.on_first_line() => {
            let current = app.input.text().to_owned();
            if let Some(text) = app.history.older(&current) {
                app.input.set(&text);
            }
        }
        KeyCode::Up => app.input.up(),
        KeyCode::Down if app.input.on_last_line() => {
            if let Some(text) = app.history.newer() {
                app.input.set(&text);
            }
        }
        KeyCode::Down => app.input.down(),
        KeyCode::Tab if app.input.is_empty() => to_proceedings(app),
        KeyCode::Tab => complete(app, true),
        KeyCode::BackTab => complete(app, false),
        // The deliberate way out of the input.
        KeyCode::Esc => to_proceedings(app),
        _ => {}
    }
    Vec::new()
}

/// Focus the proceedings, with the newest message selected.
pub(super) fn to_proceedings(app: &mut App) {
    app.focus = Focus::Transcript;
    select_step(app, -1);
}

/// Back to the input, the selection dropped.
pub(super) fn to_input(app: &mut App) {
    app.focus = Focus::Input;
    if let Some(view) = app.view_mut() {
        view.selected = None;
    }
}

pub(super) fn transcript_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Up => select_step(app, -1),
        KeyCode::Down => select_step(app, 1),
        KeyCode::Enter => message_actions(app),
        KeyCode::Esc | KeyCode::Tab | KeyCode::BackTab => to_input(app),
        // Anything typed here is text for the input, never a command.
        KeyCode::Char(c) if !ctrl && !alt => {
            to_input(app);
            app.input.insert_char(c);
        }
        _ => {}
    }
    Vec::new()
}

/// The mouse wheel scrolls the pane it is over.
pub(super) fn on_mouse(app: &mut App, mouse: crossterm::event::MouseEvent) -> Vec<Effect> {
    use crossterm::event::MouseEventKind;
    // The wheel scrolls the fairness view as ↑ ↓ do, three rows a notch.
    if let Some(Overlay::Fairness { .. }) = app.overlay {
        let code = match mouse.kind {
            MouseEventKind::ScrollUp => KeyCode::Up,
            MouseEventKind::ScrollDown => KeyCode::Down,
            _ => return Vec::new(),
        };
        for _ in 0..3 {
            on_key(app, KeyEvent::from(code));
        }
        return Vec::new();
    }
    if app.overlay.is_some() {
        return Vec::new();
    }
    let over_members = app.layout.get().members.is_some_and(|(x, y, w, h)| {
        mouse.column >= x && mouse.column < x + w && mouse.row >= y && mouse.row < y + h
    });
    match (mouse.kind, over_members) {
        (MouseEventKind::ScrollUp, true) => scroll_members(app, -3),
        (MouseEventKind::ScrollDown, true) => scroll_members(app, 3),
        (MouseEventKind::ScrollUp, false) => scroll_up(app, 3),
        (MouseEventKind::ScrollDown, false) => {
            scroll_down(app, 3);
            Vec::new()
        }
        _ => Vec::new(),
    }
}
