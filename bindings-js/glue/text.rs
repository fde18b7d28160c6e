//! Documents out: the JSON text every export hands the JS layer, marked when the JS layer may
//! skip its search for integers `JSON.parse` would round.

/// The fewest digits an integer beyond ±(2^53−1) is written with.
const RUN: usize = 16;

/// `text` (JSON) with one trailing space — still the same JSON — when it holds no run of 16
/// ASCII digits. The JS layer (`out` in `src/api.js`) refuses text holding an integer beyond
/// ±(2^53−1), which `JSON.parse` would round; it first searches the text for 16 digits in a row
/// (~0.7 ns a character), and skips that search for text marked here (a few ns for a whole
/// document: one byte in 16 is read). Text left unmarked is searched there as before. The mark
/// goes at the end, where the serializer's buffer usually has room: no copy.
pub fn marked(mut text: String) -> String {
    if !has_run(text.as_bytes()) {
        text.push(' ');
    }
    text
}

/// A report (a validation's notes, a PATCH's changes, quirks and notes) as the JS layer reads
/// it: no text at all when there is nothing in it (`EMPTY_REPORT` in `src/api.js`: the layer
/// makes the empty report itself), else its JSON, [`marked`].
pub fn report_text(empty: bool, json: impl FnOnce() -> String) -> String {
    if empty { String::new() } else { marked(json()) }
}

/// Whether `bytes` hold 16 ASCII digits in a row. Every 16th byte is read: a run of 16 covers
/// one of them; a digit found there is measured both ways.
pub fn has_run(bytes: &[u8]) -> bool {
    let digit = |b: &&u8| b.is_ascii_digit();
    let mut at = RUN - 1;
    while let Some(b) = bytes.get(at) {
        if b.is_ascii_digit() {
            let before = bytes.get(..at).map_or(0, |s| s.iter().rev().take_while(digit).count());
            let after = bytes.get(at + 1..).map_or(0, |s| s.iter().take_while(digit).count());
            if before + 1 + after >= RUN {
                return true;
            }
            // The byte after this run is not a digit: a run must start past it.
            at += after + 1 + RUN;
        } else {
            at += RUN;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(bytes: &[u8]) -> bool {
        bytes.windows(RUN).any(|w| w.iter().all(u8::is_ascii_digit))
    }

    #[test]
    fn finds_every_run_of_sixteen_digits() {
        // Every placement of runs of 14 to 17 digits in texts of up to 60 bytes.
        for len in 0..60 {
            for run in 14..=17 {
                for start in 0..len {
                    let mut text = vec![b'x'; len];
                    for b in text.iter_mut().skip(start).take(run) {
                        *b = b'7';
                    }
                    // A second, shorter run nearby.
                    if let Some(b) = text.get_mut((start + run + 2) % len.max(1)) {
                        *b = b'1';
                    }
                    assert_eq!(has_run(&text), naive(&text), "{}", String::from_utf8_lossy(&text));
                }
            }
        }
    }

    #[test]
    fn marks_text_without_a_run() {
        assert_eq!(marked(r#"{"n":900719925474099,"m":-1.5e300}"#.into()), r#"{"n":900719925474099,"m":-1.5e300} "#);
        // 16 digits: left for the JS layer to read exactly (this one it lets through).
        assert_eq!(marked(r#"{"n":9007199254740991}"#.into()), r#"{"n":9007199254740991}"#);
        assert_eq!(marked(r#"{"n":9007199254740993}"#.into()), r#"{"n":9007199254740993}"#);
        assert_eq!(marked(r#"{"s":"18446744073709551615"}"#.into()), r#"{"s":"18446744073709551615"}"#);
        assert_eq!(marked(String::new()), " ");
        assert_eq!(marked("1234567890123456".into()), "1234567890123456");
    }
}
