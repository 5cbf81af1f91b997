// Resource pre-request hook: the caller speaks camelCase, the vendor snake_case.
const contact = request_body_map;
if (contact === null || typeof contact !== 'object' || Array.isArray(contact)) {
  // Not a contact: answer 400 here rather than send the vendor an empty record.
  done({
    continue: false,
    response_status_code: 400,
    response_error_message: 'the body must be a JSON object such as {"firstName": "Ada", "email": "ada@example.com"}',
  });
} else {
  const body = {
    first_name: contact.firstName,
    last_name: contact.lastName,
    email_address: contact.email,
  };
  // BOOLEAN configuration values reach hooks as booleans, not as the text "true".
  if (configuration['contact.emailupsert'] === true) {
    body.upsert = true;
  }
  done({ request_vendor_body: body });
}
