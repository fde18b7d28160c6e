//! The filter parser: recursive descent over the RFC 7644 §3.4.2.2 grammar (Figure 1), one
//! function per precedence level, `not` over `and` over `or`.

use super::ast::{CompareOp, Filter, Literal, Number};
use super::lexer::{Lexer, Token, TokenKind};
use super::limits::{FilterLimits, Subject, check_depth, check_length, too_deep, too_many_comparisons};
use crate::error::{Error, ErrorKind, Span, excerpt};
use crate::path::attr_path::{PathParts, split_word};

/// Parses a whole filter after checking the length and depth limits.
pub(crate) fn parse_filter(text: &str, limits: &FilterLimits) -> Result<Filter, Error> {
    let mut parser = Parser::new(text, limits, Subject::Filter)?;
    parser.or_expr()?;
    parser.expect_end_of(Closer::End)?;
    parser.pop()
}

/// [`parse_filter`] also reading `attr[filter].sub op value` (and `… pr`), which the grammar
/// allows only in PATCH paths, as `attr[filter and sub op value]`: the rule
/// `filterSubAttribute` (Microsoft Entra ID asks for `emails[type eq "work"].value eq "…"`).
/// Gives the filter and whether the form was read.
pub(crate) fn parse_filter_with_sub_attributes(text: &str, limits: &FilterLimits) -> Result<(Filter, bool), Error> {
    let mut parser = Parser::new(text, limits, Subject::Filter)?;
    parser.sub_after_value_path = Some(false);
    parser.or_expr()?;
    parser.expect_end_of(Closer::End)?;
    let read = parser.sub_after_value_path == Some(true);
    parser.pop().map(|filter| (filter, read))
}

/// What ends the expression being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closer {
    /// The end of the text.
    End,
    /// `)`.
    Paren,
    /// `]`.
    Bracket,
}

/// The parser state: the lexer with one token of lookahead, the limits and the counters.
#[derive(Debug)]
pub(crate) struct Parser<'a> {
    lexer: Lexer<'a>,
    /// The next token, not yet consumed.
    tok: Token,
    /// Filters parsed and not yet combined. Each grammar function pushes exactly one filter
    /// here instead of returning it: a `Filter` is large, and handing it up through every
    /// precedence level would copy it at each one.
    out: Vec<Filter>,
    limits: FilterLimits,
    subject: Subject,
    depth: usize,
    comparisons: usize,
    in_value_path: bool,
    /// `Some` when `attr[filter].sub op value` is read (see
    /// [`parse_filter_with_sub_attributes`]), `Some(true)` once it was.
    sub_after_value_path: Option<bool>,
}

impl<'a> Parser<'a> {
    /// A parser over `text`, after the length and depth limits.
    pub(crate) fn new(text: &'a str, limits: &FilterLimits, subject: Subject) -> Result<Self, Error> {
        check_length(text, limits, subject)?;
        check_depth(text, limits, subject)?;
        let mut parser = Self {
            lexer: Lexer::new(text, subject),
            tok: Token { kind: TokenKind::End, span: Span::new(0, 0) },
            out: Vec::with_capacity(4),
            limits: *limits,
            subject,
            depth: 0,
            comparisons: 0,
            in_value_path: false,
            sub_after_value_path: None,
        };
        parser.bump()?;
        Ok(parser)
    }

    /// The next token, not consumed.
    pub(crate) const fn peek(&self) -> Token {
        self.tok
    }

    /// The filter the last grammar function pushed.
    pub(crate) fn pop(&mut self) -> Result<Filter, Error> {
        self.out.pop().ok_or_else(|| Error::new(ErrorKind::Internal, "the filter parser lost a filter"))
    }

    /// The filters pushed since `start`, as the items of an `and` (`and_list`) or an `or`,
    /// with the items of a parenthesized filter of the same kind spliced in, so
    /// `(a and b) and c` is one flat `and`.
    fn items_since(&mut self, start: usize, and_list: bool) -> Vec<Filter> {
        let items = self.out.split_off(start);
        let nested = |f: &Filter| matches!((f, and_list), (Filter::And(_), true) | (Filter::Or(_), false));
        if !items.iter().any(nested) {
            return items;
        }
        let mut flat = Vec::with_capacity(items.len() + 2);
        for item in items {
            match item {
                Filter::And(inner) if and_list => flat.extend(inner),
                Filter::Or(inner) if !and_list => flat.extend(inner),
                other => flat.push(other),
            }
        }
        flat
    }

    /// Consumes the next token (reading the one after it).
    pub(crate) fn bump(&mut self) -> Result<(), Error> {
        self.lexer.fill(&mut self.tok)
    }

    /// Whether the next token is the word `and` (`true`) or `or` (`false`), in any case.
    fn peek_logic(&self) -> Option<bool> {
        if self.tok.kind != TokenKind::Word {
            return None;
        }
        let word = self.lexer.text(&self.tok);
        if word.eq_ignore_ascii_case("and") {
            Some(true)
        } else if word.eq_ignore_ascii_case("or") {
            Some(false)
        } else {
            None
        }
    }

    /// How a token reads in a message: `` `text` `` or "the end of the filter".
    pub(crate) fn describe(&self, token: &Token) -> String {
        if token.kind == TokenKind::End {
            return format!("the end of the {}", self.subject.noun());
        }
        format!("`{}`", excerpt(self.lexer.text(token)))
    }

    /// The text a token covers.
    pub(crate) fn text(&self, token: &Token) -> &'a str {
        self.lexer.text(token)
    }

    pub(crate) fn error(&self, span: Span, detail: String) -> Error {
        self.subject.error(span, detail)
    }

    /// Enters a `(` or `[` at `span`, refusing to go deeper than the limit.
    fn enter(&mut self, span: Span) -> Result<(), Error> {
        if self.depth >= self.limits.depth() {
            return Err(too_deep(span, &self.limits, self.subject));
        }
        self.depth += 1;
        Ok(())
    }

    const fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Consumes the token that ends the current expression, or says what was expected.
    /// Returns its span.
    pub(crate) fn expect_end_of(&mut self, closer: Closer) -> Result<Span, Error> {
        let token = self.tok;
        let ok = match closer {
            Closer::End => token.kind == TokenKind::End,
            Closer::Paren => token.kind == TokenKind::Close,
            Closer::Bracket => token.kind == TokenKind::CloseBracket,
        };
        if ok {
            self.bump()?;
            return Ok(token.span);
        }
        let wanted = match closer {
            Closer::End => format!("the end of the {}", self.subject.noun()),
            Closer::Paren => "`)`".to_owned(),
            Closer::Bracket => "`]`".to_owned(),
        };
        Err(self.error(token.span, format!("expected `and`, `or` or {wanted}, found {}", self.describe(&token))))
    }

    // orExp = andExp *(SP "or" SP andExp)
    pub(crate) fn or_expr(&mut self) -> Result<(), Error> {
        let start = self.out.len();
        self.and_expr()?;
        if self.peek_logic() != Some(false) {
            return Ok(());
        }
        while self.peek_logic() == Some(false) {
            self.bump()?;
            self.and_expr()?;
        }
        let items = self.items_since(start, false);
        self.out.push(Filter::Or(items));
        Ok(())
    }

    // andExp = unary *(SP "and" SP unary)
    fn and_expr(&mut self) -> Result<(), Error> {
        let start = self.out.len();
        self.unary()?;
        if self.peek_logic() != Some(true) {
            return Ok(());
        }
        while self.peek_logic() == Some(true) {
            self.bump()?;
            self.unary()?;
        }
        let items = self.items_since(start, true);
        self.out.push(Filter::And(items));
        Ok(())
    }

    // unary = "not" *SP "(" orExp ")" / "(" orExp ")" / attrExp / valuePath
    fn unary(&mut self) -> Result<(), Error> {
        let token = self.tok;
        match token.kind {
            TokenKind::Open => {
                self.bump()?;
                self.group(token.span)
            }
            TokenKind::Word => {
                self.bump()?;
                let word = self.lexer.text(&token);
                if word.eq_ignore_ascii_case("not") && self.tok.kind == TokenKind::Open {
                    let open = self.tok.span;
                    self.bump()?;
                    self.group(open)?;
                    let inner = self.pop()?;
                    self.out.push(Filter::Not(Box::new(inner)));
                    return Ok(());
                }
                self.attr_expr(word, token.span)
            }
            _ => {
                let found = self.describe(&token);
                Err(self.error(token.span, format!("expected an attribute path, `(` or `not`, found {found}")))
            }
        }
    }

    /// The rest of `"(" orExp ")"` after the `(` at `open`.
    fn group(&mut self, open: Span) -> Result<(), Error> {
        self.enter(open)?;
        self.or_expr()?;
        self.expect_end_of(Closer::Paren)?;
        self.leave();
        Ok(())
    }

    /// A path word as an attribute path; inside `[…]` only a sub-attribute name.
    pub(crate) fn path(&self, word: &'a str, span: Span) -> Result<PathParts<'a>, Error> {
        let path = split_word(word, span.start, self.subject)?;
        if self.in_value_path && (path.urn.is_some() || path.sub.is_some()) {
            return Err(
                self.error(span, format!("expected a sub-attribute name inside `[…]`, found `{}`", excerpt(word)))
            );
        }
        Ok(path)
    }

    // attrExp   = attrPath SP "pr" / attrPath SP compareOp SP compValue
    // valuePath = attrPath "[" valFilter "]"
    fn attr_expr(&mut self, word: &'a str, span: Span) -> Result<(), Error> {
        let path = self.path(word, span)?;
        let token = self.tok;
        match token.kind {
            TokenKind::OpenBracket => {
                self.bump()?;
                self.value_filter(word, path.sub.is_some(), token.span)?;
                let after = self.tok;
                if after.kind == TokenKind::Word
                    && self.lexer.text(&after).starts_with('.')
                    && self.sub_after_value_path.is_some()
                {
                    return self.sub_after_value_path(path, after);
                }
                if after.kind == TokenKind::Word && self.lexer.text(&after).starts_with('.') {
                    return Err(self.error(
                        after.span,
                        format!(
                            "a sub-attribute after `]` is allowed in PATCH paths, not in filters, found `{}`",
                            excerpt(self.lexer.text(&after))
                        ),
                    ));
                }
                let filter = self.pop()?;
                self.out.push(Filter::ValuePath { path: path.into_path(), filter: Box::new(filter) });
                Ok(())
            }
            TokenKind::Word => {
                let op = self.lexer.text(&token);
                let is_present = op.eq_ignore_ascii_case("pr");
                let compare = CompareOp::from_keyword(op);
                if !is_present && compare.is_none() {
                    let found = self.describe(&token);
                    return Err(self
                        .error(token.span, format!("expected an operator after `{}`, found {found}", excerpt(word))));
                }
                self.bump()?;
                self.comparisons += 1;
                if self.comparisons > self.limits.max_comparisons {
                    return Err(too_many_comparisons(span, &self.limits, self.subject));
                }
                match compare {
                    Some(op) => {
                        let value = self.comp_value(op)?;
                        self.out.push(Filter::Compare { path: path.into_path(), op, value });
                    }
                    None => self.out.push(Filter::Present(path.into_path())),
                }
                Ok(())
            }
            _ => {
                let found = self.describe(&token);
                Err(self.error(token.span, format!("expected an operator after `{}`, found {found}", excerpt(word))))
            }
        }
    }

    /// After `attr[filter]` (pushed), the `.sub` word `after` and what follows it — an operator
    /// and a value, or `pr` — read as `attr[filter and sub op value]`.
    fn sub_after_value_path(&mut self, path: PathParts<'a>, after: Token) -> Result<(), Error> {
        let word = self.lexer.text(&after);
        let sub = word.get(1..).unwrap_or_default();
        if !crate::path::attr_path::is_attr_name(sub) {
            return Err(
                self.error(after.span, format!("expected a sub-attribute name after `].`, found `{}`", excerpt(word)))
            );
        }
        self.bump()?;
        let token = self.tok;
        let op_text = if token.kind == TokenKind::Word { self.lexer.text(&token) } else { "" };
        let is_present = op_text.eq_ignore_ascii_case("pr");
        let compare = CompareOp::from_keyword(op_text);
        if !is_present && compare.is_none() {
            let found = self.describe(&token);
            return Err(
                self.error(token.span, format!("expected an operator after `{}`, found {found}", excerpt(word)))
            );
        }
        self.bump()?;
        self.comparisons += 1;
        if self.comparisons > self.limits.max_comparisons {
            return Err(too_many_comparisons(after.span, &self.limits, self.subject));
        }
        let sub_path = crate::path::AttrPath::new(None, sub, None);
        let condition = match compare {
            Some(op) => Filter::Compare { path: sub_path, op, value: self.comp_value(op)? },
            None => Filter::Present(sub_path),
        };
        let inner = self.pop()?;
        let both = match inner {
            Filter::And(mut items) => {
                items.push(condition);
                Filter::And(items)
            }
            other => Filter::And(vec![other, condition]),
        };
        self.out.push(Filter::ValuePath { path: path.into_path(), filter: Box::new(both) });
        self.sub_after_value_path = Some(true);
        Ok(())
    }

    /// The rest of a value path after its `[` at `open`: valFilter "]". Pushes the filter and
    /// returns the span of the `]`.
    pub(crate) fn value_filter(&mut self, path_text: &str, has_sub: bool, open: Span) -> Result<Span, Error> {
        if self.in_value_path {
            return Err(self.error(open, "a value filter cannot hold another value filter".to_owned()));
        }
        if has_sub {
            return Err(self.error(
                open,
                format!("a value filter needs a complex attribute, not the sub-attribute `{}`", excerpt(path_text)),
            ));
        }
        self.enter(open)?;
        self.in_value_path = true;
        self.or_expr()?;
        let close = self.expect_end_of(Closer::Bracket)?;
        self.in_value_path = false;
        self.leave();
        Ok(close)
    }

    // compValue = false / null / true / number / string   ; rules from JSON (RFC 8259)
    fn comp_value(&mut self, op: CompareOp) -> Result<Literal, Error> {
        let token = self.tok;
        let literal = match token.kind {
            TokenKind::Str | TokenKind::EscapedStr => Some(Literal::String(self.lexer.decode(&token)?.into_owned())),
            TokenKind::Word => match self.lexer.text(&token) {
                "true" => Some(Literal::Bool(true)),
                "false" => Some(Literal::Bool(false)),
                "null" => Some(Literal::Null),
                w if w.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => Some(
                    Number::parse(w)
                        .map(Literal::Number)
                        .ok_or_else(|| self.error(token.span, format!("invalid number `{}`", excerpt(w))))?,
                ),
                _ => None,
            },
            _ => None,
        };
        if let Some(literal) = literal {
            self.bump()?;
            return Ok(literal);
        }
        let found = self.describe(&token);
        Err(self.error(
            token.span,
            format!("expected a value (a quoted string, a number, true, false or null) after `{op}`, found {found}"),
        ))
    }
}

#[cfg(test)]
mod tests;
