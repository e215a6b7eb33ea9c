//! What every field's text must pass before its own parser sees it: not blank, no hidden
//! characters, not longer than the field's limit.
//!
//! Hidden characters are Unicode's controls (Cc) and format characters (Cf): NUL, escape
//! sequences, zero-width spaces and joiners, byte-order marks and the bidirectional overrides
//! that make text display in another order than it is stored (U+202E). A person never means
//! to type them; they make a value look like something it is not, so they are refused rather
//! than stripped, and never reach a provider.

use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointMapDataBorrowed};

use super::field::{Field, Problem};

/// Unicode's general categories, compiled into the binary.
const CATEGORIES: CodePointMapDataBorrowed<'static, GeneralCategory> =
    CodePointMapData::<GeneralCategory>::new();

/// Whether `c` is a control or format character (categories Cc and Cf).
pub fn is_hidden(c: char) -> bool {
    let category = CATEGORIES.get(c);
    GeneralCategoryGroup::Control.contains(category)
        || GeneralCategoryGroup::Format.contains(category)
}

/// `input` trimmed, or why `field` cannot take it: [`Problem::Missing`] when blank (the caller
/// decides whether blank is allowed), [`Problem::Hidden`], or [`Problem::TooLong`] past the
/// field's limit in characters.
pub fn field_text(field: Field, input: &str) -> Result<&str, Problem> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Problem::Missing);
    }
    if text.chars().any(is_hidden) {
        return Err(Problem::Hidden);
    }
    match field.max_chars() {
        // Counting stops one past the limit: a 16 KiB value costs no more than a short one.
        Some(max) if text.chars().nth(max).is_some() => Err(Problem::TooLong),
        _ => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_format_characters_are_hidden() {
        for c in [
            '\u{0}',
            '\u{7}',
            '\t',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{ad}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{202a}',
            '\u{202e}',
            '\u{2066}',
            '\u{feff}',
            '\u{e0001}',
        ] {
            assert!(is_hidden(c), "U+{:04X}", c as u32);
        }
        for c in [
            'a', 'é', ' ', '\u{a0}', '-', '\'', '#', '文', '\u{301}', '🙂',
        ] {
            assert!(!is_hidden(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn text_is_trimmed_then_checked_for_blankness_hidden_characters_and_length() {
        let cases = [
            (Field::City, "  Boulder ", Ok("Boulder")),
            (Field::City, " \t\r\n ", Err(Problem::Missing)),
            (Field::City, "Boul\u{200b}der", Err(Problem::Hidden)),
            (Field::City, "\u{feff}Boulder", Err(Problem::Hidden)),
            (Field::City, "Boulder\n", Ok("Boulder")),
            (Field::City, "Bou\nlder", Err(Problem::Hidden)),
            (Field::Zip, "80302-1234", Ok("80302-1234")),
            (Field::Zip, "80302-12345", Err(Problem::TooLong)),
        ];
        for (field, input, expected) in cases {
            assert_eq!(field_text(field, input), expected, "{field:?} {input:?}");
        }
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert_eq!(
            field_text(Field::City, &"é".repeat(64)).map(str::len),
            Ok(128)
        );
        assert_eq!(
            field_text(Field::City, &"é".repeat(65)),
            Err(Problem::TooLong)
        );
        let padded = format!("  {}  ", "a".repeat(64));
        assert!(
            field_text(Field::City, &padded).is_ok(),
            "spaces around do not count"
        );
    }
}
