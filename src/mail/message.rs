//! The two emails a sign-up can get — "confirm your address" (with a fresh link) or "you are
//! already signed up" — each with a plain-text and an HTML part, from askama templates (the
//! HTML part escaped, the text part not).

use askama::Template;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};

use crate::store::outbox::Recipient;

#[derive(Template)]
#[template(path = "email/confirm.txt")]
struct ConfirmText<'a> {
    first_name: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/confirm.html")]
struct ConfirmHtml<'a> {
    first_name: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/already.txt")]
struct AlreadyText<'a> {
    first_name: &'a str,
}

#[derive(Template)]
#[template(path = "email/already.html")]
struct AlreadyHtml<'a> {
    first_name: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("rendering the email: {0}")]
    Render(#[from] askama::Error),
    /// The stored address is not one lettre can put in a header; retrying will not help.
    #[error("the recipient's address is not usable in an email header")]
    Address,
    #[error("building the email: {0}")]
    Build(#[from] lettre::error::Error),
}

/// An email's subject and both parts.
#[derive(Clone)]
pub struct Composed {
    pub subject: &'static str,
    pub text: String,
    pub html: String,
}

/// What the person needs: a link to confirm, or word that they already have.
pub fn compose(to: &Recipient, confirm_link: Option<&str>) -> Result<Composed, ComposeError> {
    let first_name = to.first_name.as_str();
    Ok(match confirm_link {
        Some(link) => Composed {
            subject: "Confirm your sign-up",
            text: ConfirmText { first_name, link }.render()?,
            html: ConfirmHtml { first_name, link }.render()?,
        },
        None => Composed {
            subject: "You are already signed up",
            text: AlreadyText { first_name }.render()?,
            html: AlreadyHtml { first_name }.render()?,
        },
    })
}

/// `Jane Doe <jane@example.com>`, the name encoded as the header needs.
pub fn mailbox_of(to: &Recipient) -> Result<Mailbox, ComposeError> {
    let address = to.email.parse().map_err(|_| ComposeError::Address)?;
    let name = format!("{} {}", to.first_name, to.last_name);
    Ok(Mailbox::new(Some(name), address))
}

/// The SMTP message. Its Message-ID comes from the job, so a copy sent twice (a crash between
/// the server's acceptance and our mark) carries the same ID and can be recognised.
pub fn to_message(
    from: &Mailbox,
    to: Mailbox,
    job_id: &str,
    email: &Composed,
) -> Result<Message, ComposeError> {
    let message_id = format!("<{job_id}@{}>", from.email.domain());
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject)
        .message_id(Some(message_id))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(email.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(email.html.clone()),
                ),
        )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jane(first_name: &str) -> Recipient {
        Recipient {
            email: "jane@example.com".into(),
            first_name: first_name.into(),
            last_name: "Doe".into(),
            confirmed: false,
        }
    }

    #[test]
    fn the_confirmation_email_names_the_person_and_carries_the_link_in_both_parts() {
        let link = "http://127.0.0.1:8080/confirm/abc";
        let email = compose(&jane("Jane"), Some(link)).unwrap();
        for part in [&email.text, &email.html] {
            assert!(part.contains("Hello Jane,"), "{part}");
            assert!(part.contains(link), "{part}");
        }
        assert!(email.html.contains(&format!("href=\"{link}\"")));
    }

    #[test]
    fn the_html_part_escapes_the_name_and_the_text_part_keeps_it() {
        let email = compose(&jane("<b>Jane</b> & co"), Some("http://x/confirm/t")).unwrap();
        assert!(!email.html.contains("<b>Jane"), "{}", email.html);
        assert!(email.html.contains("&#60;b&#62;Jane"), "{}", email.html);
        assert!(
            email.text.contains("Hello <b>Jane</b> & co,"),
            "{}",
            email.text
        );
    }

    #[test]
    fn a_confirmed_person_is_told_so_without_a_link() {
        let email = compose(&jane("Jane"), None).unwrap();
        assert!(email.text.contains("already confirmed"), "{}", email.text);
        assert!(!email.text.contains("/confirm/"));
    }

    #[test]
    fn the_message_has_both_parts_and_an_id_from_the_job() {
        let from: Mailbox = "vouch <no-reply@localhost>".parse().unwrap();
        let email = compose(&jane("Jane"), Some("http://x/confirm/t")).unwrap();
        let to = mailbox_of(&jane("Jane")).unwrap();
        let raw = to_message(&from, to, "job1", &email).unwrap().formatted();
        let raw = String::from_utf8_lossy(&raw);
        assert!(raw.contains("Message-ID: <job1@localhost>"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(
            raw.contains("text/plain") && raw.contains("text/html"),
            "{raw}"
        );
        assert!(
            raw.contains("To: \"Jane Doe\" <jane@example.com>")
                || raw.contains("To: Jane Doe <jane@example.com>"),
            "{raw}"
        );
    }
}
