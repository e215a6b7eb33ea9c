//! The JSON API's answers, as the contract spells them (design.md, "JSON API"). The OpenAPI
//! schemas in `/openapi.json` are derived from these very types, so the description can't
//! drift from what is sent.

use serde::Serialize;
use utoipa::ToSchema;

use super::html::Tenths;
use super::timing::ms;
use crate::checks::report::Report;
use crate::checks::{CheckKind, Mode, Outcome};
use crate::domain::field::{Field, FieldVerdict, Status};

/// `POST /api/v1/validate`: every field's verdict and every check.
#[derive(Serialize, ToSchema)]
#[schema(as = Validation)]
pub struct ValidateResponse {
    /// No field is `invalid`.
    pub valid: bool,
    pub mode: Mode,
    /// The whole validation, in milliseconds (one decimal).
    #[schema(example = 312.4)]
    pub elapsed_ms: f64,
    /// All nine fields.
    pub fields: FieldsJson,
    /// One entry per provider check, in the order email, address, phone.
    pub checks: Vec<CheckJson>,
}

/// `POST /api/v1/check/{group}`: the group's fields and its one check.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupCheck)]
pub struct GroupResponse {
    pub group: CheckKind,
    /// No field of the group is `invalid`.
    pub valid: bool,
    #[schema(example = 301.9)]
    pub elapsed_ms: f64,
    /// Only the group's fields: `email`; `phoneNumber`; or `address`, `address2`, `city`,
    /// `state` and `zip`.
    pub fields: FieldsJson,
    /// The group's one check.
    pub checks: Vec<CheckJson>,
}

/// One provider check on the validation's time axis.
#[derive(Serialize, ToSchema)]
#[schema(as = Check)]
pub struct CheckJson {
    pub check: CheckKind,
    /// `eva`, `lob` or `veriphone`.
    #[schema(example = "eva")]
    pub provider: &'static str,
    #[schema(example = 0.2)]
    pub start_ms: f64,
    /// `0` for a check a local verdict made unnecessary (`skipped`).
    #[schema(example = 301.7)]
    pub duration_ms: f64,
    pub outcome: Outcome,
}

/// One field's verdict.
#[derive(Serialize, ToSchema)]
#[schema(as = FieldVerdict)]
pub struct FieldJson {
    pub status: Status,
    /// The contract's message, for every status but `valid` and `empty`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Invalid zip")]
    pub message: Option<&'static str>,
    /// Beside the message: what was found, or what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(
        nullable = false,
        example = "12345 is Schenectady, NY — check the ZIP or the city."
    )]
    pub hint: Option<String>,
    /// On `email` only: "did you mean …?" when the domain looks like a typo of a common one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "jane.doe@gmail.com")]
    pub suggestion: Option<String>,
}

/// The fields' verdicts by wire name, in form order; a field the answer does not cover is
/// left out.
#[derive(Serialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
#[schema(as = Fields)]
pub struct FieldsJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    first_name: Option<FieldJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    last_name: Option<FieldJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    email: Option<FieldJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    phone_number: Option<FieldJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    address: Option<FieldJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    address2: Option<FieldJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    city: Option<FieldJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    state: Option<FieldJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    zip: Option<FieldJson>,
}

/// `POST /api/v1/signups` when the form is valid: the sign-up kept, its email queued.
#[derive(Serialize, ToSchema)]
#[schema(as = Signup)]
pub struct SignupResponse {
    /// The sign-up's id (the same when the email address signed up before).
    pub id: String,
    /// `pending_confirmation` until the link in the email is followed.
    #[schema(example = "pending_confirmation")]
    pub status: &'static str,
    pub fields: FieldsJson,
    pub checks: Vec<CheckJson>,
}

/// `POST /api/v1/signups` when the form is valid but could not be kept (the database failed):
/// the validation result, and an error saying to try again.
#[derive(Serialize, ToSchema)]
#[schema(as = SignupNotSaved)]
pub struct SignupNotSaved {
    pub error: &'static str,
    /// Always `true`: only a valid form is kept.
    pub valid: bool,
    pub fields: FieldsJson,
    pub checks: Vec<CheckJson>,
}

impl SignupResponse {
    pub fn new(id: String, status: &'static str, report: &Report) -> Self {
        SignupResponse {
            id,
            status,
            fields: FieldsJson::from_report(report),
            checks: checks(report),
        }
    }
}

impl SignupNotSaved {
    pub fn new(report: &Report) -> Self {
        SignupNotSaved {
            error: "couldn't save the sign-up, please try again",
            valid: true,
            fields: FieldsJson::from_report(report),
            checks: checks(report),
        }
    }
}

/// Every error answer: `{"error": "…"}`, our own words, never the parser's.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    #[schema(example = "expected Content-Type: application/json")]
    pub error: String,
}

impl FieldsJson {
    fn from_report(report: &Report) -> FieldsJson {
        let mut fields = FieldsJson::default();
        for (field, verdict) in report.verdicts() {
            let suggestion = report
                .email_suggestion
                .clone()
                .filter(|_| field == Field::Email);
            *fields.slot(field) = Some(FieldJson::new(verdict, suggestion));
        }
        fields
    }

    fn slot(&mut self, field: Field) -> &mut Option<FieldJson> {
        match field {
            Field::FirstName => &mut self.first_name,
            Field::LastName => &mut self.last_name,
            Field::Email => &mut self.email,
            Field::PhoneNumber => &mut self.phone_number,
            Field::Address => &mut self.address,
            Field::Address2 => &mut self.address2,
            Field::City => &mut self.city,
            Field::State => &mut self.state,
            Field::Zip => &mut self.zip,
        }
    }
}

impl FieldJson {
    fn new(verdict: &FieldVerdict, suggestion: Option<String>) -> FieldJson {
        FieldJson {
            status: verdict.status,
            message: verdict.message,
            hint: verdict.hint.map(|h| h.to_string()),
            suggestion,
        }
    }
}

/// Rounded to 0.1 ms: finer digits are noise.
fn round_ms(d: std::time::Duration) -> f64 {
    Tenths::of(ms(d)).as_f64()
}

fn checks(report: &Report) -> Vec<CheckJson> {
    report
        .checks
        .iter()
        .map(|c| CheckJson {
            check: c.kind,
            provider: c.kind.provider(),
            start_ms: round_ms(c.start),
            duration_ms: round_ms(c.duration),
            outcome: c.outcome,
        })
        .collect()
}

impl From<&Report> for ValidateResponse {
    fn from(report: &Report) -> Self {
        ValidateResponse {
            valid: report.valid(),
            mode: report.mode,
            elapsed_ms: round_ms(report.elapsed),
            fields: FieldsJson::from_report(report),
            checks: checks(report),
        }
    }
}

impl GroupResponse {
    pub fn new(group: CheckKind, report: &Report) -> Self {
        GroupResponse {
            group,
            valid: report.valid(),
            elapsed_ms: round_ms(report.elapsed),
            fields: FieldsJson::from_report(report),
            checks: checks(report),
        }
    }
}
