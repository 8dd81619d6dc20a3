//! What a key or a paste does, by where the focus is.

use super::*;

pub(super) fn on_paste(app: &mut App, text: &str) {
    match &mut app.overlay {
        Some(Overlay::Prompt { input, .. }) => input.insert(text),
        Some(Overlay::Palette { filter, .. }) => filter.insert(text),
        Some(_) => {}
        None => {
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
    let transcript = app.focus == Focus::Transcript;
    if let Some(command) = bindings::lookup(key.code, key.modifiers, transcript) {
        let command = resolve_toggle(app, command, key.code);
        return run_command(app, command);
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
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

pub(super) fn input_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
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
        KeyCode::Left => app.input.left(),
        KeyCode::Right => app.input.right(),
        KeyCode::Home => app.input.home(),
        KeyCode::End => app.input.end(),
        KeyCode::Up if app.input.is_empty() => {
            app.focus = Focus::Transcript;
            select_step(app, -1);
        }
        KeyCode::Esc => app.focus = Focus::Transcript,
        _ => {}
    }
    Vec::new()
}

pub(super) fn transcript_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Up => select_step(app, -1),
        KeyCode::Down => select_step(app, 1),
        KeyCode::Esc | KeyCode::Enter => {
            app.focus = Focus::Input;
            if let Some(view) = app.view_mut() {
                view.selected = None;
            }
        }
        _ => {}
    }
    Vec::new()
}
