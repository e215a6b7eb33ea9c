//! Lob's single-line form (`address=185 Berry St, San Francisco CA 94107`), split into the
//! component fields so it is verified like any other request.
//!
//! Lob's own parser is not public; this one handles the shapes people type: a trailing ZIP or
//! ZIP+4; `street, city, ST` or `street, city ST` with commas; and, without commas, a city
//! recognised from the ZIP table just before the state. What it cannot place stays in the
//! street line, so the verdict is `undeliverable` rather than a guess.

use super::request::Fields;
use vouch_offline::zip;

/// Splits `address` into street, unit, city, state and ZIP.
pub(crate) fn split(address: &str) -> Fields {
    let mut segments: Vec<String> = address
        .split(',')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect();
    let mut fields = Fields {
        zip_code: take_last_word(&mut segments, is_zip),
        ..Fields::default()
    };
    let record = fields
        .zip_code
        .as_deref()
        .and_then(|z| zip::lookup(z.get(..5)?));
    // A bare two-letter word is a state only where a street suffix cannot be (`12 Oak Ct`):
    // after a comma, or where the ZIP table confirms it.
    let confirmed = |word: &str| record.is_some_and(|r| r.state.eq_ignore_ascii_case(word));
    let commas = segments.len() >= 2;
    fields.state = take_last_word(&mut segments, |w| {
        is_state_like(w) && (commas || confirmed(w))
    })
    .map(|s| s.to_ascii_uppercase());
    if segments.len() >= 2 {
        fields.city = segments.pop();
    } else if let (Some(record), Some(only)) = (record, segments.first_mut()) {
        fields.city = take_city_suffix(only, record);
    }
    let mut segments = segments.into_iter();
    fields.primary_line = segments.next();
    let rest: Vec<String> = segments.collect();
    fields.secondary_line = (!rest.is_empty()).then(|| rest.join(" "));
    fields
}

fn is_zip(word: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match word.len() {
        5 => digits(word, 5),
        9 => digits(word, 9),
        10 => word
            .split_once('-')
            .is_some_and(|(a, b)| digits(a, 5) && digits(b, 4)),
        _ => false,
    }
}

fn is_state_like(word: &str) -> bool {
    word.len() == 2 && word.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Removes the last word of the last segment if `accept` likes it (dropping the segment when
/// it empties).
fn take_last_word(segments: &mut Vec<String>, accept: impl Fn(&str) -> bool) -> Option<String> {
    let last = segments.last_mut()?;
    let (head, word) = match last.rsplit_once(' ') {
        Some((head, word)) => (head.to_owned(), word.to_owned()),
        None => (String::new(), last.clone()),
    };
    if !accept(&word) {
        return None;
    }
    if head.is_empty() {
        segments.pop();
    } else {
        *last = head;
    }
    Some(word)
}

/// Without commas: the longest run of trailing words that the ZIP table accepts as a city.
fn take_city_suffix(line: &mut String, record: &zip::ZipRecord) -> Option<String> {
    let words: Vec<&str> = line.split(' ').collect();
    // Keep at least two words (number and street name) for the street line.
    let split_at = (2..words.len()).find(|&i| record.city_matches(&words[i..].join(" ")))?;
    let city = words[split_at..].join(" ");
    *line = words[..split_at].join(" ");
    Some(city)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(f: &Fields) -> [Option<&str>; 5] {
        [
            &f.primary_line,
            &f.secondary_line,
            &f.city,
            &f.state,
            &f.zip_code,
        ]
        .map(|o| o.as_deref())
    }

    #[test]
    fn splits_the_usual_shapes() {
        let cases = [
            (
                "210 King Street 94107",
                [Some("210 King Street"), None, None, None, Some("94107")],
            ),
            (
                "185 Berry St Ste 6100, San Francisco, CA 94107-1728",
                [
                    Some("185 Berry St Ste 6100"),
                    None,
                    Some("San Francisco"),
                    Some("CA"),
                    Some("94107-1728"),
                ],
            ),
            (
                "185 Berry St, Ste 6100, San Francisco CA",
                [
                    Some("185 Berry St"),
                    Some("Ste 6100"),
                    Some("San Francisco"),
                    Some("CA"),
                    None,
                ],
            ),
            (
                "2600 Pearl St Boulder CO 80302",
                [
                    Some("2600 Pearl St"),
                    None,
                    Some("Boulder"),
                    Some("CO"),
                    Some("80302"),
                ],
            ),
            ("12 Oak Ct", [Some("12 Oak Ct"), None, None, None, None]),
            ("", [None, None, None, None, None]),
        ];
        for (input, want) in cases {
            assert_eq!(parts(&split(input)), want, "input {input:?}");
        }
    }
}
