//! A US ZIP code as typed: five digits, optionally `-` and four more (ZIP+4).

use super::field::Problem;

/// A ZIP whose format is right; whether it exists is for the ZIP table and the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipCode {
    five: String,
    plus4: Option<String>,
}

impl ZipCode {
    pub fn parse(input: &str) -> Result<ZipCode, Problem> {
        let zip = input.trim();
        if zip.is_empty() {
            return Err(Problem::Missing);
        }
        let (five, plus4) = match zip.split_once('-') {
            Some((five, plus4)) => (five, Some(plus4)),
            None => (zip, None),
        };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(five, 5) || plus4.is_some_and(|p| !digits(p, 4)) {
            return Err(Problem::Invalid);
        }
        Ok(ZipCode {
            five: five.to_owned(),
            plus4: plus4.map(str::to_owned),
        })
    }

    /// The five-digit ZIP, which is what the ZIP table and comparisons use.
    pub fn five(&self) -> &str {
        &self.five
    }

    /// The ZIP as it goes to the provider: `12345` or `12345-6789`.
    pub fn full(&self) -> String {
        match &self.plus4 {
            Some(p) => format!("{}-{p}", self.five),
            None => self.five.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_format_is_five_digits_or_zip_plus_four() {
        let cases = [
            ("80302", Ok("80302")),
            (" 80302 ", Ok("80302")),
            ("00501", Ok("00501")),
            ("80302-1234", Ok("80302-1234")),
            ("", Err(Problem::Missing)),
            ("  ", Err(Problem::Missing)),
            ("8030", Err(Problem::Invalid)),
            ("803021", Err(Problem::Invalid)),
            ("803021234", Err(Problem::Invalid)),
            ("80302-12", Err(Problem::Invalid)),
            ("80302-", Err(Problem::Invalid)),
            ("abcde", Err(Problem::Invalid)),
            ("８０３０２", Err(Problem::Invalid)),
        ];
        for (input, expected) in cases {
            let got = ZipCode::parse(input).map(|z| z.full());
            assert_eq!(got.as_deref().map_err(|e| *e), expected, "input {input:?}");
        }
    }
}
