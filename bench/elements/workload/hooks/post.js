// Map the vendor's record (nested objects, a list of items) into the caller's shape: 16 fields.
const r = response_body;
const mapped = {
  id: String(r.id),
  fullName: r.first_name.trim() + ' ' + r.last_name.trim(),
  email: r.email.trim().toLowerCase(),
  status: r.status.toLowerCase(),
  company: { name: r.company.name, domain: r.company.domain.toLowerCase() },
  phone: r.contact.phone,
  address: { street: r.address.street, city: r.address.city, postcode: r.address.postcode,
             country: r.address.country_code.toUpperCase() },
  location: { lat: r.address.geo.lat, lng: r.address.geo.lng },
  owner: r.owner.first + ' ' + r.owner.last,
  ownerEmail: r.owner.email.toLowerCase(),
  tags: r.tags.join(';'),
  lines: r.items.map(i => ({ sku: i.sku, name: i.name.trim(), quantity: i.quantity,
                             totalCents: i.quantity * i.unit_price_cents })),
  itemCount: r.items.length,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  vendorReceived: { authorization: r.received.authorization, timestamp: r.received.timestamp,
                    pageSize: r.received.page_size, debug: r.received.debug, status: r.received.status },
};
done({ response_body: mapped, continue: true });
