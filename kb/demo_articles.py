"""Texts of the demo knowledge base (see `kb.demo`): short, but what a support team would
really write down."""

from __future__ import annotations

from kb.models import Article

T = Article.Type
# slug: (title, type, category, owner, tags, summary, body, state); the owner is a demo
# username. state is "published", "in_review" (a new article waiting), "update" (published,
# with an edit waiting, see PENDING_EDITS), "draft" or "restricted" (published, only for the
# teams in RESTRICTED_TO).
ARTICLES = {
    "refund-a-double-charge": (
        "Refund a double charge", T.TROUBLESHOOTING, "refunds", "agent", ["refunds", "payments"],
        "The customer was charged twice for one order.",
        "## Symptoms\n\nTwo identical card charges for one order number.\n\n"
        "## Cause\n\nThe payment provider retried after a timeout and both attempts settled.\n\n"
        "## Resolution\n\n1. Find both charges under **Payments** on the order.\n"
        "2. Refund the *later* charge in full.\n3. Tell the customer the refund takes 3-5 "
        "working days to appear.\n\n## Escalation\n\nIf more than two charges exist, open a "
        "ticket with Payments Engineering and include the order number.\n",
        "update",
    ),
    "partial-refunds": (
        "How to issue a partial refund", T.HOWTO, "refunds", "agent", ["refunds"],
        "Refund one item or a share of the order total.",
        "## Before you start\n\nCheck the return reason and whether the item was shipped.\n\n"
        "## Steps\n\n1. Open the order and choose **Refund**.\n2. Select the items, or enter an "
        "amount.\n3. Add the reason code.\n\n## Result\n\nThe customer gets an email with the "
        "amount and the expected date.\n",
        "published",
    ),
    "refund-policy-faq": (
        "How long do refunds take?", T.FAQ, "refunds", "agent", ["refunds", "faq"],
        "What to tell customers about refund timing.",
        "## Question\n\nWhen will I see my money?\n\n## Answer\n\n| Method | Time |\n|---|---|\n"
        "| Card | 3-5 working days |\n| PayPal | 1 day |\n| Bank transfer | up to 10 days |\n",
        "published",
    ),
    "chargeback-response": (
        "Responding to a chargeback", T.HOWTO, "billing", "agent", ["chargebacks", "payments"],
        "Gather evidence and respond before the deadline.",
        "## Steps\n\n1. Note the deadline in the dispute notice.\n2. Attach proof of delivery "
        "and the customer's messages.\n3. Submit through the payment dashboard.\n",
        "published",
    ),
    "vat-invoice": (
        "Sending a VAT invoice", T.HOWTO, "invoices", "agent", ["invoicing", "vat"],
        "Business customers need a VAT invoice with their company details.",
        "## Steps\n\n1. Check the customer's VAT number in **Account > Company**.\n2. Choose "
        "**Invoices > Regenerate**.\n3. Send it from the order page.\n",
        "published",
    ),
    "account-recovery": (
        "Recovering an account without 2FA device", T.TROUBLESHOOTING, "login", "mentor",
        ["account recovery", "two-factor auth"],
        "The customer lost the phone with their authenticator app.",
        "## Symptoms\n\nThe customer cannot pass the second log-in step.\n\n## Cause\n\nLost or "
        "replaced phone without backup codes.\n\n## Resolution\n\n1. Verify identity with two "
        "of: billing postcode, last order number, last 4 card digits.\n2. Reset 2FA from the "
        "admin console.\n\n## Escalation\n\nIf identity cannot be verified, escalate to Trust "
        "and Safety. Never reset on a caller's word alone.\n",
        "published",
    ),
    "password-reset-email-missing": (
        "Password reset email never arrives", T.TROUBLESHOOTING, "login", "mentor",
        ["email", "login"],
        "Most often the address is misspelt or the email sits in spam.",
        "## Symptoms\n\nNo reset email after several tries.\n\n## Cause\n\nTypo in the address, "
        "spam filtering, or a bounced address on our suppression list.\n\n## Resolution\n\n1. "
        "Confirm the spelling.\n2. Check the suppression list and remove the address.\n3. Send "
        "the reset again.\n\n## Escalation\n\nIf the address is not suppressed and still "
        "nothing arrives, escalate to Messaging.\n",
        "in_review",
    ),
    "delayed-parcel": (
        "Parcel delayed in transit", T.TROUBLESHOOTING, "shipping", "agent", ["shipping delays"],
        "Tracking has not moved for several days.",
        "## Symptoms\n\nNo tracking update for 3+ working days.\n\n## Cause\n\nCarrier backlog "
        "or a missed scan.\n\n## Resolution\n\n1. Open a trace with the carrier.\n2. Offer a "
        "replacement after 7 working days.\n\n## Escalation\n\nHigh-value orders go to the "
        "Logistics lead at once.\n",
        "published",
    ),
    "vip-escalation-contacts": (
        "VIP escalation contacts", T.ARTICLE, "escalations", "mentor",
        ["escalation", "vip accounts"],
        "Who to call for our largest accounts (Escalations team only).",
        "## Overview\n\nThe account managers for VIP customers, and when to page them.\n\n"
        "## Details\n\nPage the on-call account manager for outages affecting a VIP account.\n",
        "restricted",
    ),
    "saying-sorry": (
        "Apologising without blaming", T.BEST_PRACTICE, "tone", "agent", ["tone and empathy"],
        "A sincere apology names the problem and the next step.",
        "## Situation\n\nA customer is upset about a mistake we made.\n\n## What worked\n\n"
        "> I'm sorry your order arrived damaged. I've sent a replacement today.\n\n"
        "## Lessons learned\n\nAvoid *unfortunately* and *as per policy*; say what you will do.\n",
        "published",
    ),
    "angry-caller": (
        "De-escalating an angry caller", T.BEST_PRACTICE, "tone", "agent",
        ["de-escalation", "tone and empathy"],
        "Let them finish, acknowledge, then move to what you can do.",
        "## Situation\n\nThe caller is shouting before you can help.\n\n## What worked\n\n1. "
        "Let them finish.\n2. Acknowledge the feeling in one sentence.\n3. Offer one concrete "
        "next step.\n\n## Lessons learned\n\nNever match their volume.\n",
        "published",
    ),
    "returns-label-draft": (
        "Printing a returns label", T.HOWTO, "shipping", "agent", ["returns"],
        "Customers can print a label from their order page.",
        "## Steps\n\n1. Open **Orders**.\n2. Choose **Return items**.\n",
        "draft",
    ),
    # --- Billing ---------------------------------------------------------------------------
    "card-payment-declined": (
        "Card payment declined", T.TROUBLESHOOTING, "billing", "priya.shah",
        ["payment failures", "payments"],
        "Read the decline code before asking the customer to try again.",
        "## Symptoms\n\nCheckout shows *Payment declined*; the order stays unpaid.\n\n"
        "## Cause\n\nThe decline code on the payment attempt tells you why:\n\n"
        "| Code | Meaning | Tell the customer |\n|---|---|---|\n"
        "| insufficient_funds | Not enough money | Use another card |\n"
        "| do_not_honor | The bank refused | Call the number on the card |\n"
        "| authentication_required | 3-D Secure failed | Retry and approve in the bank app |\n"
        "| expired_card | Card expired | Update the card in **Billing** |\n\n"
        "## Resolution\n\n1. Open **Payments** on the order and read the code.\n2. Give the "
        "matching advice; we cannot override a bank decline.\n3. Offer PayPal or bank transfer "
        "if the card keeps failing.\n\n## Escalation\n\nThree or more customers with "
        "`processing_error` within an hour: report a possible outage in #payments-incidents.\n",
        "published",
    ),
    "cancel-subscription": (
        "Cancelling a subscription", T.HOWTO, "billing", "mei.chen", ["subscriptions"],
        "Cancel at period end unless the customer asks for an immediate refund.",
        "## Before you start\n\nAsk why they are leaving and note the reason code; offer the "
        "retention discount only once per account.\n\n## Steps\n\n1. Open **Account > "
        "Subscription**.\n2. Choose **Cancel at period end** (access stays until the renewal "
        "date).\n3. Only if they ask for money back: **Cancel now** and refund the unused days "
        "pro rata.\n4. Confirm the end date in writing.\n\n## Result\n\nNo further charges; the "
        "data is kept for 90 days in case they return.\n",
        "published",
    ),
    "failed-renewal-dunning": (
        "What happens when a renewal payment fails", T.ARTICLE, "billing", "manager",
        ["subscriptions", "payment failures"],
        "The retry schedule, and when the account is suspended.",
        "## Overview\n\nA failed renewal does not end the subscription at once: we retry and "
        "email the customer each time.\n\n## Details\n\n| Day | What happens |\n|---|---|\n"
        "| 0 | Payment fails, first email |\n| 3 | Second attempt |\n| 7 | Third attempt, "
        "warning email |\n| 14 | Account suspended (read-only) |\n"
        "| 30 | Subscription cancelled |\n\n"
        "Updating the card in **Billing** retries at once and lifts a suspension within minutes.\n",
        "update",
    ),
    "currency-conversion-faq": (
        "Why was I charged a different amount?", T.FAQ, "billing", "chloe.martin",
        ["payments", "faq"],
        "Usually the bank's currency conversion or a foreign transaction fee.",
        "## Question\n\nMy statement shows more than the price on the website.\n\n## Answer\n\n"
        "We charge in the currency shown at checkout. If the card is in another currency, the "
        "bank converts it at its own rate and may add a fee of 1-3%. We cannot refund the "
        "bank's fee.\n\nIf the amount *in our currency* differs from the order total, it is a "
        "billing error: escalate to Billing with the order number.\n",
        "published",
    ),
    "refund-fraud-signals": (
        "Refund fraud: signals to check", T.BEST_PRACTICE, "billing", "hannah.weber",
        ["fraud", "refunds"],
        "Patterns that mean a refund needs a second pair of eyes (Billing and Escalations only).",
        "## Situation\n\nSome refund requests are attempts to get goods for free.\n\n"
        "## What worked\n\nPause and ask a lead before refunding when two or more apply:\n\n"
        "- Third *item not received* claim in six months\n- Delivery address changed after "
        "dispatch\n- New account, high-value order, express shipping\n- Pressure to refund "
        "to a different card\n\n## Lessons learned\n\nNever accuse the customer. Say: *I need "
        "to check this with a colleague and will reply within one working day.*\n",
        "restricted",
    ),
    "plan-upgrade-proration": (
        "How is an upgrade charged mid-cycle?", T.FAQ, "billing", "priya.shah",
        ["subscriptions", "faq"],
        "Upgrades are prorated to the day; downgrades apply at renewal.",
        "## Question\n\nI upgraded halfway through the month. Why this amount?\n\n## Answer\n\n"
        "We credit the unused days of the old plan and charge the new plan for the rest of the "
        "cycle, today. Example: 15 of 30 days left, EUR 20 to EUR 50 plan: 25 - 10 = EUR 15.\n\n"
        "Downgrades take effect at the next renewal; nothing is refunded.\n",
        "in_review",
    ),
    # --- Refunds ---------------------------------------------------------------------------
    "refund-outside-window": (
        "Can I get a refund after 30 days?", T.FAQ, "refunds", "manager", ["refunds", "faq"],
        "Outside the window a refund is a goodwill decision, within set limits.",
        "## Question\n\nI bought this six weeks ago. Can I still return it?\n\n## Answer\n\n"
        "The right to a refund ends 30 days after delivery. Faulty items are covered for one "
        "year: offer repair or replacement first.\n\nFor anything else you may offer store "
        "credit up to EUR 50; above that ask a team lead.\n",
        "published",
    ),
    "refund-to-closed-card": (
        "Refund to a closed or expired card", T.TROUBLESHOOTING, "refunds", "mei.chen",
        ["refunds", "payments"],
        "The refund usually still arrives: banks route it to the replacement card.",
        "## Symptoms\n\nThe customer says the card they paid with no longer exists.\n\n"
        "## Cause\n\nCard expired, was replaced, or the account was closed.\n\n## Resolution\n\n"
        "1. Refund to the original card anyway; the bank passes it on to the new card.\n"
        "2. If the bank returns it (status *Failed* after 10 days), ask for IBAN details in a "
        "secure form, never by chat.\n3. Pay out by bank transfer with reason code *RF-CARD*.\n\n"
        "## Escalation\n\nTransfers above EUR 500 need a second approver in Billing.\n",
        "published",
    ),
    "refund-as-store-credit": (
        "Refunding as store credit", T.HOWTO, "refunds", "chloe.martin", ["refunds", "credit"],
        "Store credit is instant and the customer keeps the whole amount.",
        "## Steps\n\n1. Offer it, never impose it: *Would store credit work for you? It is "
        "available straight away.*\n2. **Refund > Store credit**.\n3. Credit expires after "
        "12 months; say so.\n\nTODO: screenshots of the new refund dialog.\n",
        "draft",
    ),
    "goodwill-credit-limits": (
        "Goodwill gestures: how much and when", T.BEST_PRACTICE, "refunds", "manager",
        ["refunds", "complaints handling"],
        "Match the gesture to the inconvenience, not to how loud the customer is.",
        "## Situation\n\nWe got something wrong and want to make it right.\n\n## What worked\n\n"
        "| Inconvenience | Gesture | Approval |\n|---|---|---|\n| Small delay | Free shipping "
        "next order | Agent |\n| Repeated contact needed | 10% credit | Agent |\n| Missed an "
        "event, wrong item twice | Up to EUR 50 | Agent |\n| Anything more | - | Team lead |\n\n"
        "## Lessons learned\n\nLog every gesture with the reason code *GW*; it shows which "
        "problems cost us most.\n",
        "published",
    ),
    # --- Invoices --------------------------------------------------------------------------
    "invoice-wrong-company-details": (
        "Correcting company details on an invoice", T.HOWTO, "invoices", "priya.shah",
        ["invoicing"],
        "Issued invoices are never edited: cancel with a credit note and reissue.",
        "## Before you start\n\nGet the correct legal name, address and VAT number in writing "
        "from the account owner.\n\n## Steps\n\n1. Update **Account > Company**.\n2. On the "
        "invoice choose **Cancel and reissue**; this creates a credit note and a new invoice "
        "number.\n3. Send both documents to the customer.\n\n## Result\n\nTheir accounts show "
        "the original, the credit note and the corrected invoice.\n",
        "published",
    ),
    "reverse-charge-vat-faq": (
        "Why is there no VAT on my invoice?", T.FAQ, "invoices", "hannah.weber",
        ["vat", "faq"],
        "EU business customers with a valid VAT number are invoiced under reverse charge.",
        "## Question\n\nMy invoice shows 0% VAT. Is that a mistake?\n\n## Answer\n\nNo. For "
        "a business in another EU country with a valid VAT number, the customer accounts for "
        "the VAT themselves (reverse charge). The invoice says *Reverse charge: Article 196, "
        "Directive 2006/112/EC*.\n\nIf they are not a business, remove the VAT number and "
        "reissue; VAT is then added.\n",
        "published",
    ),
    "invoice-email-missing": (
        "Invoice email not received", T.TROUBLESHOOTING, "invoices", "chloe.martin",
        ["invoicing", "email"],
        "Invoices go to the billing contact, which is often not the person asking.",
        "## Symptoms\n\nThe customer cannot find this month's invoice.\n\n## Cause\n\nThe "
        "invoice went to the billing contact, or the finance mailbox filters it.\n\n"
        "## Resolution\n\n1. Check **Account > Billing contact**.\n2. Point them to **Billing > "
        "Invoices**, where every invoice can be downloaded as PDF.\n3. Add their address as an "
        "extra recipient if they ask.\n",
        "update",
    ),
    "credit-notes-explained": (
        "Credit notes explained", T.ARTICLE, "invoices", "mei.chen", ["invoicing", "refunds"],
        "Every refund on an invoiced order creates a credit note automatically.",
        "## Overview\n\nA credit note is a negative invoice. It reduces what the customer owes, "
        "or documents money we returned.\n\n## Details\n\n- Created automatically by full and "
        "partial refunds.\n- Numbered CN-YYYY-NNNNN and linked to the original invoice.\n- "
        "Cannot be deleted; a mistake is corrected by a new invoice.\n",
        "in_review",
    ),
    # --- Accounts --------------------------------------------------------------------------
    "change-account-email": (
        "Changing the email address on an account", T.HOWTO, "accounts", "tom.becker",
        ["account security"],
        "Customers change it themselves; we only help when they lost access to the old one.",
        "## Before you start\n\nIf they can log in, send them to **Settings > Email**: they "
        "confirm from both addresses.\n\n## Steps (no access to the old address)\n\n1. Verify "
        "identity with two of: billing postcode, last order number, last 4 card digits.\n2. "
        "**Admin > Account > Change email**, tick *Notify old address*.\n3. Ask them to reset "
        "their password afterwards.\n\n## Result\n\nThe old address gets a notice with a "
        "48-hour undo link, which protects against takeovers.\n",
        "published",
    ),
    "merge-duplicate-accounts": (
        "Customer has two accounts", T.TROUBLESHOOTING, "accounts", "ravi.iyer",
        ["accounts", "account security"],
        "Orders can be moved, but subscriptions and payment methods cannot.",
        "## Symptoms\n\nOrders are missing because they were placed from another account.\n\n"
        "## Cause\n\nGuest checkout, or a second sign-up with a work address.\n\n"
        "## Resolution\n\n1. Confirm the customer owns both addresses (send a code to each).\n"
        "2. **Admin > Merge accounts**, keeping the one with the active subscription.\n3. Ask "
        "them to re-add payment methods.\n\n## Escalation\n\nBoth accounts with active "
        "subscriptions: escalate to Billing first to avoid a double charge.\n",
        "published",
    ),
    "account-deletion-request": (
        "Handling an account deletion request", T.ARTICLE, "accounts", "aisha.okafor",
        ["gdpr", "accounts"],
        "We must complete it within 30 days; some records are kept by law.",
        "## Overview\n\nUnder GDPR a customer may ask us to delete their data.\n\n## Details"
        "\n\n1. Confirm the request comes from the account's own address.\n2. Cancel any "
        "subscription and settle open refunds first.\n3. Choose **Admin > Delete account**; "
        "deletion runs after a 14-day cooling-off period.\n4. Invoices are kept for 10 years "
        "(tax law); say so in your reply.\n\nNever delete on a phone request alone.\n",
        "published",
    ),
    "transfer-account-ownership": (
        "Transferring a business account to a new owner", T.HOWTO, "accounts", "sofia.rossi",
        ["accounts", "account reviews"],
        "When the admin leaves the company, another admin takes over.",
        "## Before you start\n\nYou need a request from a company email domain and, if the "
        "old owner is unreachable, a signed letter on company paper.\n\n## Steps\n\n1. Add the "
        "new person as admin.\n2. **Admin > Ownership > Transfer**.\n3. Remove the old owner "
        "only after the new owner confirms they can log in.\n",
        "in_review",
    ),
    # --- Log-in ----------------------------------------------------------------------------
    "account-locked-faq": (
        "Why is my account locked?", T.FAQ, "login", "diego.alvarez", ["login", "faq"],
        "Five failed log-ins lock an account for 30 minutes.",
        "## Question\n\nIt says my account is locked.\n\n## Answer\n\nAfter five wrong "
        "passwords in a row we lock the account for 30 minutes to stop guessing. It unlocks by "
        "itself; a password reset unlocks it at once.\n\nDo not unlock it manually if the "
        "customer did not make the attempts: follow *Suspected account takeover*.\n",
        "published",
    ),
    "sso-login-loop": (
        "Single sign-on keeps redirecting", T.TROUBLESHOOTING, "login", "mentor",
        ["sso", "login"],
        "A loop between us and the identity provider is nearly always a configuration issue.",
        "## Symptoms\n\nThe page bounces between our log-in and the company's identity "
        "provider.\n\n## Cause\n\nMismatched email domain, an expired SAML certificate, or "
        "third-party cookies blocked.\n\n## Resolution\n\n1. Try a private window to rule out "
        "cookies.\n2. Check **Admin > SSO** for the certificate expiry date.\n3. Compare the "
        "user's email domain with the verified domains.\n\n## Escalation\n\nCertificate "
        "problems are fixed by the customer's IT; send them the SSO setup guide. A loop for "
        "every customer is an outage: page the on-call engineer.\n",
        "published",
    ),
    "two-factor-codes-rejected": (
        "Two-factor codes are rejected", T.TROUBLESHOOTING, "login", "ravi.iyer",
        ["two-factor auth", "login"],
        "The phone's clock is usually wrong.",
        "## Symptoms\n\nEvery 6-digit code is refused, though the customer types it "
        "correctly.\n\n## Cause\n\nAuthenticator codes depend on the time; a phone clock more "
        "than 30 seconds off makes them invalid.\n\n## Resolution\n\n1. Ask them to turn on "
        "automatic date and time.\n2. In Google Authenticator: **Settings > Time correction**."
        "\n3. Still failing: use a backup code, then set up 2FA again.\n\n## Escalation\n\n"
        "No backup codes: follow *Recovering an account without 2FA device*.\n",
        "update",
    ),
    "suspected-account-takeover": (
        "Suspected account takeover", T.BEST_PRACTICE, "login", "mentor",
        ["account security", "account recovery"],
        "Secure the account first, investigate second.",
        "## Situation\n\nA customer reports orders or changes they did not make.\n\n"
        "## What worked\n\n1. **Admin > Security > Lock and sign out everywhere**.\n2. Cancel "
        "unshipped orders placed in the last 48 hours.\n3. Send a password reset to the "
        "*original* address (check the email change log).\n4. Hand over to Trust and Safety "
        "with the timeline.\n\n## Lessons learned\n\nDon't discuss the attacker's details with "
        "anyone on the phone; they may be the attacker.\n",
        "published",
    ),
    # --- Shipping --------------------------------------------------------------------------
    "wrong-item-received": (
        "Customer received the wrong item", T.TROUBLESHOOTING, "shipping", "aisha.okafor",
        ["returns", "warehouse"],
        "Send the right item at once; the return of the wrong one is free.",
        "## Symptoms\n\nThe parcel contains a different product, size or colour.\n\n"
        "## Cause\n\nA picking error in the warehouse.\n\n## Resolution\n\n1. Ask for a photo "
        "of the item and the packing slip.\n2. Create a replacement order with express "
        "shipping at no cost.\n3. Send a prepaid return label; don't wait for the return "
        "before dispatching.\n\n## Escalation\n\nTwo errors on one order: report the order to "
        "the warehouse lead.\n",
        "published",
    ),
    "change-delivery-address": (
        "Changing the delivery address after ordering", T.HOWTO, "shipping", "sofia.rossi",
        ["shipping", "orders"],
        "Possible until the order is packed; afterwards only the carrier can redirect.",
        "## Before you start\n\nCheck the order status. *Processing*: we can change it. "
        "*Packed* or *Shipped*: carrier only.\n\n## Steps\n\n1. **Order > Edit address** "
        "while processing.\n2. Shipped: give the customer the carrier's redirect link from the "
        "tracking page.\n3. A new country always needs a cancel and reorder (customs and "
        "VAT change).\n\n## Result\n\nThe customer gets an updated confirmation email.\n",
        "published",
    ),
    "customs-charges-faq": (
        "Why do I have to pay customs charges?", T.FAQ, "shipping", "yuki.tanaka",
        ["shipping", "customs", "faq"],
        "Orders shipped outside the EU may be charged import duty on delivery.",
        "## Question\n\nThe courier asked me to pay before delivering.\n\n## Answer\n\nFor "
        "deliveries outside the EU, the destination country charges import VAT and duty, "
        "collected by the carrier. Our prices exclude these (see checkout).\n\n- UK orders "
        "under GBP 135: we charge VAT at checkout, nothing on delivery.\n- Refused parcels "
        "are refunded minus the return shipping cost.\n",
        "published",
    ),
    "lost-parcel-claim": (
        "Filing a lost parcel claim with the carrier", T.HOWTO, "shipping", "agent",
        ["shipping delays", "carriers"],
        "After the carrier's deadline a parcel counts as lost; claim, then replace.",
        "## Before you start\n\nA parcel is lost after 10 working days without a scan "
        "(domestic) or 20 (international).\n\n## Steps\n\n1. Open the claim in the carrier "
        "portal with the tracking number and order value.\n2. Replace or refund the customer "
        "at once; don't make them wait for the claim.\n3. Log the claim number on the order.\n",
        "in_review",
    ),
    "delivered-not-received": (
        "Tracking says delivered, customer has nothing", T.TROUBLESHOOTING, "shipping",
        "zara.khan", ["shipping", "carriers"],
        "Most turn up within 48 hours with a neighbour or in a safe place.",
        "## Symptoms\n\nTracking shows *Delivered* but the customer has no parcel.\n\n"
        "## Cause\n\nLeft with a neighbour or in a safe place, scanned early, or stolen.\n\n"
        "## Resolution\n\n1. Share the delivery photo or GPS note from tracking, if any.\n2. "
        "Ask them to check neighbours and wait 48 hours.\n3. Then open a carrier "
        "investigation and replace the order.\n\n## Escalation\n\nSecond claim on the same "
        "account within six months: check *Refund fraud: signals to check* with a lead.\n",
        "published",
    ),
    # --- Escalations -----------------------------------------------------------------------
    "when-to-escalate": (
        "When to escalate a case", T.ARTICLE, "escalations", "lukas.novak",
        ["escalation", "complaints handling"],
        "Escalate on risk, not on frustration.",
        "## Overview\n\nEscalations gets the cases that need authority or expertise you "
        "don't have. Escalating too late costs more than escalating too early.\n\n## Details\n\n"
        "Escalate when:\n\n- legal action, a lawyer or a regulator is mentioned;\n- "
        "personal safety or data exposure is involved;\n- the customer contacted us three "
        "times about the same problem;\n- the fix needs more than EUR 250 or a policy exception."
        "\n\nUse the **Escalate** macro: summary, what was tried, what the customer wants.\n",
        "published",
    ),
    "outage-communication": (
        "Talking to customers during an outage", T.BEST_PRACTICE, "escalations",
        "kwame.mensah", ["incident communication", "tone and empathy"],
        "Be honest about what we know; promise an update time, not a fix time.",
        "## Situation\n\nA service outage brings a flood of contacts.\n\n## What worked\n\n> "
        "We know payments are failing for some customers and our engineers are on it. I'll "
        "update you by 14:00, sooner if it's fixed.\n\n- Link the status page in every reply.\n"
        "- Tag every ticket *incident-<date>* so we can follow up in bulk.\n\n## Lessons "
        "learned\n\nNever guess a cause or a time to fix; a missed promise doubles the anger.\n",
        "published",
    ),
    "regulator-complaint": (
        "Complaint escalated to a regulator or ombudsman", T.ARTICLE, "escalations",
        "jonas.lindqvist", ["escalation", "complaints handling"],
        "Legal deadlines apply: hand over the same day (Escalations team only).",
        "## Overview\n\nA letter from a regulator, ombudsman or consumer body starts a formal "
        "process with fixed deadlines.\n\n## Details\n\n1. Forward the letter to "
        "complaints@ the same day; do not reply to the regulator yourself.\n2. Freeze the case: "
        "no refunds or credits without Legal's approval.\n3. Prepare the timeline of every "
        "contact within 5 working days.\n",
        "restricted",
    ),
    "case-handover-notes": (
        "Writing a case handover note", T.HOWTO, "escalations", "omar.farouk",
        ["escalation"],
        "So the next person never has to ask the customer to repeat themselves.",
        "## Steps\n\n1. One line: what the customer wants.\n2. What we tried, with dates.\n3. "
        "What was promised and by when.\n4. Mood and preferred channel.\n",
        "draft",
    ),
    # --- Tone ------------------------------------------------------------------------------
    "saying-no-positively": (
        "Saying no without losing the customer", T.BEST_PRACTICE, "tone", "editor",
        ["tone and empathy"],
        "Lead with what you can do; give the reason in one sentence.",
        "## Situation\n\nThe customer wants something policy does not allow.\n\n## What worked"
        "\n\n> I can't refund this order as it's past 30 days, but I can offer you store "
        "credit for the full amount today.\n\n- Use *can't* once, *can* at least twice.\n- "
        "Offer a choice where you can.\n\n## Lessons learned\n\n*Policy says* sounds like a "
        "wall; explain the reason instead.\n",
        "published",
    ),
    "chat-reply-style": (
        "Writing good live chat replies", T.BEST_PRACTICE, "tone", "grace.murphy",
        ["live chat", "tone and empathy"],
        "Short messages, the customer's name, and no silence over a minute.",
        "## Situation\n\nChat customers expect the pace of a conversation.\n\n## What worked\n\n"
        "- One idea per message, under 40 words.\n- Say when you go quiet: *Let me check "
        "that, it'll take about two minutes.*\n- Mirror their formality.\n\n## Lessons "
        "learned\n\nA canned macro sent unchanged reads as a robot; change the first line.\n",
        "published",
    ),
    "personalising-macros": (
        "Personalising a macro", T.HOWTO, "tone", "editor", ["macros", "tone and empathy"],
        "Three small edits make a macro sound like you.",
        "## Steps\n\n1. Replace the opening with a line about *their* situation.\n2. Delete "
        "any paragraph that does not apply.\n3. End with the next step and when it happens."
        "\n\n## Result\n\nFewer follow-up questions and better satisfaction scores.\n",
        "update",
    ),
    # --- Coaching ---------------------------------------------------------------------------
    "active-listening": (
        "Active listening on the phone", T.BEST_PRACTICE, "coaching", "editor",
        ["active listening", "tone and empathy"],
        "Let the customer finish, play it back, then solve.",
        "## Situation\n\nCustomers repeat themselves when they do not feel heard.\n\n"
        "## What worked\n\n1. Let them finish; note the facts, not your reply.\n2. Play it "
        "back in one sentence: *So the refund went to the old card, and you need it today.*\n"
        "3. Ask one open question before you move to the fix.\n\n## Lessons learned\n\n"
        "Silence of two seconds after they stop invites the detail you need.\n",
        "published",
    ),
    "giving-constructive-feedback": (
        "Giving constructive feedback", T.BEST_PRACTICE, "coaching", "mentor",
        ["coaching", "feedback"],
        "Specific, kind and soon: situation, behaviour, impact, next step.",
        "## Situation\n\nA colleague's reply or call could have gone better.\n\n"
        "## What worked\n\n- **Situation**: the ticket or call, by name.\n- **Behaviour**: what "
        "they said or did, quoted.\n- **Impact**: what it did for the customer.\n- **Next "
        "step**: one thing to try, agreed together.\n\n## Lessons learned\n\nPraise in "
        "public, correct in private, and always within the week.\n",
        "published",
    ),
    "coaching-conversations": (
        "Running a coaching conversation", T.HOWTO, "coaching", "mentor",
        ["coaching", "mentoring"],
        "Ask before you tell: a 20-minute structure for one-to-ones.",
        "## Steps\n\n1. **Goal**: what do you want from these 20 minutes?\n2. **Reality**: "
        "walk me through the last case like it.\n3. **Options**: what else could you have "
        "tried?\n4. **Will**: what will you do on the next one, and how will we know?\n\n"
        "## Result\n\nThe colleague leaves with their own plan, which they are likelier to "
        "keep than yours.\n",
        "published",
    ),
}  # fmt: skip

# Teams that may read the "restricted" articles.
RESTRICTED_TO = {
    "vip-escalation-contacts": ["escalations"],
    "refund-fraud-signals": ["billing", "escalations"],
    "regulator-complaint": ["escalations"],
}

# The edit waiting for review on "update" articles: (change note, text added to the body).
PENDING_EDITS = {
    "refund-a-double-charge": (
        "Clarify the escalation step",
        "\nPayments Engineering answers within one working day; tell the customer so.\n",
    ),
    "failed-renewal-dunning": (
        "Grace period is now 21 days",
        "\nFrom next month the account is suspended on day 21 instead of day 14.\n",
    ),
    "invoice-email-missing": (
        "Add the spam check",
        "\nAsk finance teams to allow billing@huddle.example in their spam filter.\n",
    ),
    "two-factor-codes-rejected": (
        "Add the iPhone setting",
        "\nOn iPhone: **Settings > General > Date & Time > Set Automatically**.\n",
    ),
    "personalising-macros": (
        "Add an example",
        "\n> Example: *Thanks for the photo, Sam: that's clearly the wrong size.*\n",
    ),
}  # fmt: skip
