//! The step-by-step guide views DescribeView knows. A real instance's views are built in its admin
//! website; their `Template` is a JSON string of components (`Head`, `Body`: `Form`, `FormInput`, ...),
//! `InputSchema` a JSON Schema of the data a flow passes in (`viewData` of a ViewResource message), and
//! `Actions` the buttons that end the view.

use serde_json::json;

use crate::model::{View, ViewContent};

/// The view the demo's agent console sends in a ViewResource message.
pub const DEMO_VIEW_TOKEN: &str = "emulator-demo-view";

/// The view behind `token`, shaped as DescribeView answers it.
pub fn by_token(token: &str) -> Option<View> {
    if token != DEMO_VIEW_TOKEN {
        return None;
    }
    let template = json!({
        "Head": {"Title": "Confirm your delivery address", "Configuration": {"Layout": {"Columns": [12]}}},
        "Body": [{
            "_id": "Form_1",
            "Type": "Form",
            "Props": {"HideBorder": false},
            "Content": [
                {"_id": "street", "Type": "FormInput",
                 "Props": {"Label": "Street", "Name": "street", "InputType": "text", "Required": true}, "Content": []},
                {"_id": "city", "Type": "FormInput",
                 "Props": {"Label": "City", "Name": "city", "InputType": "text", "Required": true}, "Content": []},
                {"_id": "postcode", "Type": "FormInput",
                 "Props": {"Label": "Postcode", "Name": "postcode", "InputType": "text"}, "Content": []}
            ]
        }]
    });
    let schema = json!({
        "type": "object",
        "properties": {"street": {"type": "string"}, "city": {"type": "string"}, "postcode": {"type": "string"}},
        "required": []
    });
    Some(View {
        id: "emulator-view".into(),
        arn: "arn:aws:connect:us-west-2:000000000000:instance/emulator/view/emulator-view:$LATEST".into(),
        name: "Emulator demo view".into(),
        version: 1,
        content: ViewContent {
            template: template.to_string(),
            input_schema: schema.to_string(),
            actions: vec!["Submit".into(), "Cancel".into()],
        },
    })
}
