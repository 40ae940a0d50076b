//! Service errors in the rest-json form clients parse: the status, `x-amzn-ErrorType: <Name>` and a
//! body `{"message": ...}` (ResourceNotFoundException adds `ResourceId` and `ResourceType`).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub name: &'static str,
    pub message: String,
    pub resource: Option<(String, &'static str)>,
}

impl ApiError {
    fn new(status: u16, name: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, name, message: message.into(), resource: None }
    }
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(403, "AccessDeniedException", message)
    }
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(400, "ValidationException", message)
    }
    pub fn throttling(message: impl Into<String>) -> Self {
        Self::new(429, "ThrottlingException", message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalServerException", message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, "ConflictException", message)
    }
    pub fn quota(message: impl Into<String>) -> Self {
        Self::new(402, "ServiceQuotaExceededException", message)
    }
    /// Amazon Connect's (StartChatContact's) "The request is not valid".
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidRequestException", message)
    }
    /// Amazon Connect's (StartChatContact's) "One or more of the specified parameters are not valid".
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidParameterException", message)
    }
    pub fn not_found(message: impl Into<String>, id: impl Into<String>, kind: &'static str) -> Self {
        ApiError { resource: Some((id.into(), kind)), ..Self::new(404, "ResourceNotFoundException", message) }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = match &self.resource {
            Some((id, kind)) => {
                json!({"message": self.message, "ResourceId": id, "ResourceType": kind})
            }
            None => json!({"message": self.message}),
        };
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, axum::Json(body)).into_response();
        res.headers_mut().insert("x-amzn-ErrorType", HeaderValue::from_static(self.name));
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
