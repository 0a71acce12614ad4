/* share-fixtures.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Badges written for the share tests: a hosted OB 2.0 assertion that
 * expires, a signed one (made into a JWS by the tests) and an OB 3.0
 * credential with an embedded proof and no public page. */

#define HOSTED_ASSERTION \
  "{\"@context\": \"https://w3id.org/openbadges/v2\", \"type\": \"Assertion\"," \
  " \"id\": \"https://badges.example.org/assertions/42\"," \
  " \"recipient\": {\"type\": \"email\", \"hashed\": false, \"identity\": \"ana@example.org\"}," \
  " \"issuedOn\": \"2023-12-31T23:30:00-05:00\", \"expires\": \"2026-06-30T22:00:00-04:00\"," \
  " \"verification\": {\"type\": \"HostedBadge\"}," \
  " \"badge\": {\"type\": \"BadgeClass\", \"id\": \"https://badges.example.org/badges/sec\"," \
  "   \"name\": \"Ingénieur « Sécurité » & Réseaux #1 + 100%\", \"description\": \"Networks.\"," \
  "   \"image\": \"https://badges.example.org/badges/sec.png\"," \
  "   \"criteria\": {\"narrative\": \"Pass the exam.\"}," \
  "   \"issuer\": {\"type\": \"Profile\", \"id\": \"https://badges.example.org/issuer\"," \
  "     \"name\": \"Université de Montréal\", \"url\": \"https://www.umontreal.ca\"," \
  "     \"email\": \"badges@umontreal.ca\"}}}"

#define SIGNED_ASSERTION \
  "{\"@context\": \"https://w3id.org/openbadges/v2\", \"type\": \"Assertion\"," \
  " \"id\": \"urn:uuid:5c1d6f0e-8a7b-4c3d-9e2f-1a2b3c4d5e6f\"," \
  " \"recipient\": {\"type\": \"email\", \"hashed\": false, \"identity\": \"ana@example.org\"}," \
  " \"issuedOn\": \"2024-02-29T12:00:00Z\"," \
  " \"verification\": {\"type\": \"SignedBadge\", \"creator\": \"https://badges.example.org/key\"}," \
  " \"badge\": {\"type\": \"BadgeClass\", \"id\": \"https://badges.example.org/badges/signed\"," \
  "   \"name\": \"Signed 🔏 Badge\", \"description\": \"Signed.\"," \
  "   \"image\": \"https://badges.example.org/badges/signed.png\"," \
  "   \"criteria\": {\"narrative\": \"Sign.\"}," \
  "   \"issuer\": {\"type\": \"Profile\", \"id\": \"https://badges.example.org/issuer\"," \
  "     \"name\": \"Example Issuer\", \"url\": \"https://badges.example.org\"," \
  "     \"email\": \"badges@example.org\"}}}"

#define OB3_CREDENTIAL \
  "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\"," \
  "   \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]," \
  " \"id\": \"urn:uuid:0d6a2f4e-1b2c-4d3e-8f90-a1b2c3d4e5f6\"," \
  " \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"]," \
  " \"issuer\": {\"id\": \"https://issuer.example.org\", \"type\": [\"Profile\"], \"name\": \"Issuer 3\"}," \
  " \"validFrom\": \"2024-01-01T00:00:00Z\", \"name\": \"Credential\"," \
  " \"credentialSubject\": {\"type\": [\"AchievementSubject\"], \"id\": \"did:example:ana\"," \
  "   \"achievement\": {\"id\": \"https://issuer.example.org/a/1\", \"type\": [\"Achievement\"]," \
  "     \"name\": \"OB3 Achievement\", \"description\": \"d\", \"criteria\": {\"narrative\": \"n\"}}}," \
  " \"proof\": {\"type\": \"DataIntegrityProof\", \"cryptosuite\": \"eddsa-rdfc-2022\"," \
  "   \"proofPurpose\": \"assertionMethod\", \"verificationMethod\": \"did:key:z6Mk#z6Mk\"," \
  "   \"proofValue\": \"z3FXQ\"}}"

/* The smallest PNG: one transparent pixel. */
#define PIXEL_PNG_BASE64 \
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
#define PIXEL_SVG \
  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><rect width=\"1\" height=\"1\"/></svg>"

/* What every target of HOSTED_ASSERTION must be. */
#define HOSTED_LINKEDIN_PROFILE \
  "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" \
  "&name=Ing%C3%A9nieur%20%C2%AB%20S%C3%A9curit%C3%A9%20%C2%BB%20%26%20R%C3%A9seaux%20%231%20%2B%20100%25" \
  "&organizationName=Universit%C3%A9%20de%20Montr%C3%A9al&issueYear=2024&issueMonth=1" \
  "&expirationYear=2026&expirationMonth=7" \
  "&certUrl=https%3A%2F%2Fbadges.example.org%2Fassertions%2F42&certId=42"

#define HOSTED_LINKEDIN_POST \
  "https://www.linkedin.com/sharing/share-offsite/?url=" \
  "https%3A%2F%2Fbadges.example.org%2Fassertions%2F42"

#define HOSTED_FACEBOOK \
  "https://www.facebook.com/sharer/sharer.php?u=" \
  "https%3A%2F%2Fbadges.example.org%2Fassertions%2F42"

#define HOSTED_X \
  "https://x.com/intent/tweet?text=I%20earned%20the%20%E2%80%9C" \
  "Ing%C3%A9nieur%20%C2%AB%20S%C3%A9curit%C3%A9%20%C2%BB%20%26%20R%C3%A9seaux%20%231%20%2B%20100%25" \
  "%E2%80%9D%20badge%20from%20Universit%C3%A9%20de%20Montr%C3%A9al." \
  "&url=https%3A%2F%2Fbadges.example.org%2Fassertions%2F42"

#define HOSTED_EMAIL \
  "mailto:?subject=My%20%E2%80%9CIng%C3%A9nieur%20%C2%AB%20S%C3%A9curit%C3%A9%20%C2%BB%20%26%20" \
  "R%C3%A9seaux%20%231%20%2B%20100%25%E2%80%9D%20badge%20from%20Universit%C3%A9%20de%20" \
  "Montr%C3%A9al&body=Hello%2C%0D%0A%0D%0AI%20earned%20the%20%E2%80%9CIng%C3%A9nieur%20%C2%AB" \
  "%20S%C3%A9curit%C3%A9%20%C2%BB%20%26%20R%C3%A9seaux%20%231%20%2B%20100%25%E2%80%9D%20badge" \
  "%20from%20Universit%C3%A9%20de%20Montr%C3%A9al.%0D%0A%0D%0AYou%20can%20check%20that%20it" \
  "%20is%20genuine%20on%20the%20issuer%E2%80%99s%20page%3A%0D%0A" \
  "https%3A%2F%2Fbadges.example.org%2Fassertions%2F42%0D%0A"

#define HOSTED_EMBED \
  "<div class=\"open-badge\" style=\"display:inline-block;max-width:320px;" \
  "font-family:sans-serif;text-align:center\">\n" \
  "  <a href=\"https://badges.example.org/assertions/42\"><img " \
  "src=\"https://badges.example.org/badges/sec.png\" " \
  "alt=\"Ingénieur « Sécurité » &amp; Réseaux #1 + 100%\" " \
  "width=\"120\" height=\"120\" style=\"border:0\"></a>\n" \
  "  <div dir=\"auto\" style=\"font-weight:bold\">Ingénieur « Sécurité » &amp; Réseaux #1 + 100%</div>\n" \
  "  <div dir=\"auto\">Issued by Université de Montréal</div>\n" \
  "  <a href=\"https://badges.example.org/assertions/42\">Verify this badge</a>\n" \
  "</div>"

#define HOSTED_PUBLIC_URL \
  "https://badges.example.org/assertions/42"

#define SIGNED_REASON \
  "This badge is signed rather than hosted by its issuer, so it has no public web page to " \
  "link to. Send it by e-mail or save the image instead."
#define OB3_REASON \
  "This credential names no public web page to link to. Send it by e-mail or save the image " \
  "instead."
