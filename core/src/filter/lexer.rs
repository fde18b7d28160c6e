//! The filter lexer: words (attribute paths, operators, keywords, numbers), JSON strings and
//! the four brackets, each with its byte span. Words end at whitespace, a bracket or a quote,
//! so `emails[type eq "work"].value` reads as `emails`, `[`, `type`, `eq`, `"work"`, `]`,
//! `.value`. What a word means is the parser's business.

use std::borrow::Cow;

use super::limits::Subject;
use crate::error::{Error, Span, excerpt};

/// What a token is. Tokens are small and `Copy`: their text is read back through the span
/// ([`Lexer::text`]), and a string is decoded only when the parser needs its value
/// ([`Lexer::decode`]); the lexer has already checked that it decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum TokenKind {
    /// A run of characters up to whitespace, a bracket or a quote.
    Word,
    /// A JSON string without escapes, checked.
    Str,
    /// A JSON string holding a backslash escape, checked (decoding must copy).
    EscapedStr,
    /// `(`
    Open,
    /// `)`
    Close,
    /// `[`
    OpenBracket,
    /// `]`
    CloseBracket,
    /// The end of the text.
    End,
}

/// A token and the bytes it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// What it is.
    pub(crate) kind: TokenKind,
    /// Where it is.
    pub(crate) span: Span,
}

/// Reads tokens one at a time.
#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    subject: Subject,
}

/// JSON whitespace (RFC 8259 §2).
const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Bytes that end a word.
const fn ends_word(b: u8) -> bool {
    is_space(b) || matches!(b, b'(' | b')' | b'[' | b']' | b'"')
}

impl<'a> Lexer<'a> {
    /// A lexer over `src`, reporting errors as `subject` errors.
    pub(crate) const fn new(src: &'a str, subject: Subject) -> Self {
        Self { src, pos: 0, subject }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.src.as_bytes().get(at).copied()
    }

    /// The next token (tests read tokens this way; the parser uses [`Lexer::fill`]).
    #[cfg(test)]
    pub(crate) fn next_token(&mut self) -> Result<Token, Error> {
        let mut token = Token { kind: TokenKind::End, span: Span::new(0, 0) };
        self.fill(&mut token)?;
        Ok(token)
    }

    /// Reads the next token into `token`. (Writing in place, rather than returning a
    /// `Result<Token, _>`, keeps the hot path free of enum copies.)
    pub(crate) fn fill(&mut self, token: &mut Token) -> Result<(), Error> {
        while self.byte(self.pos).is_some_and(is_space) {
            self.pos += 1;
        }
        let start = self.pos;
        let (kind, end) = match self.byte(start) {
            None => (TokenKind::End, start),
            Some(b'(') => (TokenKind::Open, start + 1),
            Some(b')') => (TokenKind::Close, start + 1),
            Some(b'[') => (TokenKind::OpenBracket, start + 1),
            Some(b']') => (TokenKind::CloseBracket, start + 1),
            Some(b'"') => {
                let (end, escaped) = self.scan_string(start, None)?;
                (if escaped { TokenKind::EscapedStr } else { TokenKind::Str }, end)
            }
            Some(_) => {
                let mut end = start;
                while self.byte(end).is_some_and(|b| !ends_word(b)) {
                    end += 1;
                }
                (TokenKind::Word, end)
            }
        };
        token.kind = kind;
        token.span = Span::new(start, end);
        self.pos = end;
        Ok(())
    }

    /// The text a token covers.
    pub(crate) fn text(&self, token: &Token) -> &'a str {
        self.src.get(token.span.start..token.span.end).unwrap_or_default()
    }

    /// The value of a string token, decoded (borrowed when it has no escapes).
    pub(crate) fn decode(&self, token: &Token) -> Result<Cow<'a, str>, Error> {
        let inner = self.src.get(token.span.start + 1..token.span.end.saturating_sub(1)).unwrap_or_default();
        if token.kind != TokenKind::EscapedStr {
            return Ok(Cow::Borrowed(inner));
        }
        let mut out = String::with_capacity(inner.len());
        self.scan_string(token.span.start, Some(&mut out))?;
        Ok(Cow::Owned(out))
    }

    /// string = quotation-mark *char quotation-mark (RFC 8259 §7).
    ///
    /// Checks the string whose quote is at `start`, decoding it into `out` when given.
    /// Returns the position after the closing quote and whether there was an escape.
    fn scan_string(&self, start: usize, mut out: Option<&mut String>) -> Result<(usize, bool), Error> {
        let mut at = start + 1;
        let mut run_start = at;
        let mut escaped = false;
        loop {
            match self.byte(at) {
                None => {
                    return Err(self.subject.error(
                        Span::new(start, self.src.len()),
                        format!("string `{}` has no closing quote", excerpt(self.src.get(start..).unwrap_or_default())),
                    ));
                }
                Some(b'"') => {
                    if let Some(out) = out.as_deref_mut() {
                        out.push_str(self.src.get(run_start..at).unwrap_or_default());
                    }
                    return Ok((at + 1, escaped));
                }
                Some(b'\\') => {
                    escaped = true;
                    let (c, next) = self.escape(at)?;
                    if let Some(out) = out.as_deref_mut() {
                        out.push_str(self.src.get(run_start..at).unwrap_or_default());
                        out.push(c);
                    }
                    at = next;
                    run_start = at;
                }
                Some(b) if b < 0x20 => {
                    return Err(self.subject.error(
                        Span::new(at, at + 1),
                        format!("control character U+{b:04X} in a string must be escaped"),
                    ));
                }
                Some(_) => at += 1,
            }
        }
    }

    /// One escape starting at the backslash at `at`: the character and the position after.
    fn escape(&self, at: usize) -> Result<(char, usize), Error> {
        let c = match self.byte(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at),
            _ => {
                let end = self.char_end(at + 1);
                let text = self.src.get(at..end).unwrap_or("\\");
                return Err(self.subject.error(Span::new(at, end), format!("invalid escape `{text}` in a string")));
            }
        };
        Ok((c, at + 2))
    }

    /// `\uXXXX`, or a surrogate pair `\uD8xx\uDCxx`, starting at the backslash at `at`.
    fn unicode_escape(&self, at: usize) -> Result<(char, usize), Error> {
        let high = self.hex4(at)?;
        let c = match high {
            0xD800..=0xDBFF => {
                let low = (self.byte(at + 6) == Some(b'\\') && self.byte(at + 7) == Some(b'u'))
                    .then(|| self.hex4(at + 6))
                    .transpose()?
                    .filter(|low| (0xDC00..=0xDFFF).contains(low));
                let Some(low) = low else {
                    return Err(self.lone_surrogate(at));
                };
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                let c = char::from_u32(code).ok_or_else(|| self.lone_surrogate(at))?;
                return Ok((c, at + 12));
            }
            0xDC00..=0xDFFF => return Err(self.lone_surrogate(at)),
            code => char::from_u32(code).ok_or_else(|| self.lone_surrogate(at))?,
        };
        Ok((c, at + 6))
    }

    /// The four hex digits after `\u` at `at`.
    fn hex4(&self, at: usize) -> Result<u32, Error> {
        let digits = self.src.as_bytes().get(at + 2..at + 6);
        let value =
            digits.and_then(|d| d.iter().try_fold(0_u32, |acc, &b| char::from(b).to_digit(16).map(|v| (acc << 4) | v)));
        value.ok_or_else(|| {
            let mut end = at + 2;
            while end < at + 6 && self.byte(end).is_some_and(|b| b.is_ascii_hexdigit()) {
                end += 1;
            }
            let text = self.src.get(at..end).unwrap_or("\\u");
            self.subject.error(Span::new(at, end), format!("invalid unicode escape `{}` in a string", excerpt(text)))
        })
    }

    fn lone_surrogate(&self, at: usize) -> Error {
        let text = self.src.get(at..at + 6).unwrap_or("\\u");
        self.subject.error(Span::new(at, at + 6), format!("lone surrogate `{text}` in a string"))
    }

    /// The end of the character starting at `at` (one past `at` for ASCII or the end).
    fn char_end(&self, at: usize) -> usize {
        let mut end = at + 1;
        while end < self.src.len() && !self.src.is_char_boundary(end) {
            end += 1;
        }
        end.min(self.src.len().max(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, &str)> {
        let mut lexer = Lexer::new(src, Subject::Filter);
        let mut out = Vec::new();
        loop {
            let t = lexer.next_token().unwrap();
            if t.kind == TokenKind::End {
                return out;
            }
            out.push((t.kind, lexer.text(&t)));
        }
    }

    fn string(src: &str) -> Result<String, Error> {
        let mut lexer = Lexer::new(src, Subject::Filter);
        let token = lexer.next_token()?;
        assert!(matches!(token.kind, TokenKind::Str | TokenKind::EscapedStr), "not a string: {token:?}");
        Ok(lexer.decode(&token)?.into_owned())
    }

    #[test]
    fn splits_words_at_brackets_and_quotes() {
        use TokenKind::*;
        assert_eq!(
            kinds(r#"emails[type eq"work"].value"#),
            vec![
                (Word, "emails"),
                (OpenBracket, "["),
                (Word, "type"),
                (Word, "eq"),
                (Str, "\"work\""),
                (CloseBracket, "]"),
                (Word, ".value")
            ]
        );
        assert_eq!(kinds("not(a pr)"), vec![(Word, "not"), (Open, "("), (Word, "a"), (Word, "pr"), (Close, ")")]);
        assert_eq!(kinds(" \t\r\n"), vec![]);
        assert_eq!(kinds(r#""a\"b""#), vec![(EscapedStr, r#""a\"b""#)]);
    }

    #[test]
    fn spans_are_byte_offsets() {
        let mut lexer = Lexer::new("é eq \"x\"", Subject::Filter);
        assert_eq!(lexer.next_token().unwrap().span, Span::new(0, 2));
        assert_eq!(lexer.next_token().unwrap().span, Span::new(3, 5));
        assert_eq!(lexer.next_token().unwrap().span, Span::new(6, 9));
        assert_eq!(lexer.next_token().unwrap().span, Span::new(9, 9));
    }

    #[test]
    fn decodes_every_json_escape() {
        assert_eq!(string(r#""a\"b\\c\/d\be\ff\ng\rh\ti""#).unwrap(), "a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti");
        assert_eq!(string(r#""\u00e9\u0041""#).unwrap(), "éA");
        assert_eq!(string(r#""\ud83d\ude00!""#).unwrap(), "😀!");
        assert_eq!(string(r#""O'Malley""#).unwrap(), "O'Malley");
        let mut lexer = Lexer::new(r#""plain""#, Subject::Filter);
        let token = lexer.next_token().unwrap();
        assert!(matches!(lexer.decode(&token).unwrap(), Cow::Borrowed("plain")));
    }

    #[test]
    fn refuses_bad_strings_with_spans() {
        let cases = [
            (r#""abc"#, Span::new(0, 4)),
            (r#""a\x""#, Span::new(2, 4)),
            (r#""\u12G4""#, Span::new(1, 5)),
            (r#""\ud800""#, Span::new(1, 7)),
            (r#""\udc00""#, Span::new(1, 7)),
            (r#""\ud800\u0041""#, Span::new(1, 7)),
            ("\"a\u{1}\"", Span::new(2, 3)),
            ("\"\\é\"", Span::new(1, 4)),
            (r#""\"#, Span::new(1, 2)),
        ];
        for (src, span) in cases {
            let e = string(src).unwrap_err();
            assert_eq!(e.span(), Some(span), "{src}: {}", e.detail());
        }
    }
}
