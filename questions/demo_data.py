"""What the demo's questions say (`questions.demo` writes them): what agents asked their
colleagues over the last month, the answers, votes and comments they got. Kept apart from the
code that writes it, as kb keeps its demo articles. Tags are the knowledge base's, categories
kb's demo categories, people the demo people."""

from __future__ import annotations

HOUR = 60
DAY = 24 * HOUR

# key: (asker, minutes ago, title, details, tags, category, urgency, state, teams)
# state: "open" (nobody answered), "answered" (answers, none accepted), "accepted",
# "promoted" (accepted, then promoted into a published FAQ), "closed",
# ("deflected", "kb", article slug) or ("deflected", "question", key) for what answered it
# while it was being asked. `teams`: who alone may read it (empty: everyone).
QUESTIONS: dict[str, tuple] = {
    # Customer waiting, unanswered for longer than the escalation delay: the asker's team lead
    # (Escalations: admin, no expert in refunds, so told only as the lead) hears.
    "double-renewal": (
        "jonas.lindqvist", 40,
        "Customer charged twice for the same renewal: refund both charges or one?",
        "The renewal failed on the first attempt and then went through **twice** on the retry. "
        "The customer is on the phone, upset, and wants both charges back. Do I refund one "
        "charge and void the other, or refund both and charge again?",
        ["refunds", "payment failures"], "refunds", "customer_waiting", "open", [],
    ),
    # Customer waiting, asked a few minutes ago: the experts were just told.
    "sso-domain-change": (
        "tom.becker", 4,
        "SSO log-in fails after the customer's company changed its email domain",
        "Their identity provider now sends `user@newbrand.example`, but the accounts are on "
        "the old domain. The admin is on the phone and 40 people cannot log in.",
        ["sso", "login"], "login", "customer_waiting", "open", [],
    ),
    "vat-after-payment": (
        "chloe.martin", 2 * DAY + 3 * HOUR,
        "Can a VAT number be added to an invoice that was already paid?",
        "A business customer paid without entering their VAT number. They now want the "
        "invoice reissued with it, and the VAT refunded.",
        ["vat", "invoicing"], "invoices", "normal", "open", [],
    ),
    "norway-claims": (
        "zara.khan", 5 * HOUR,
        "Which carrier handles lost parcel claims for orders shipped to Norway?",
        "The tracking stopped at the border a week ago. Our claim form only lists EU carriers.",
        ["carriers", "shipping"], "shipping", "normal", "open", [],
    ),
    "refund-other-card": (
        "priya.shah", 3 * DAY,
        "Customer wants the refund on a different card than the one they paid with",
        "They lost the original card and ask us to send the money to their partner's card.",
        ["refunds", "payments"], "refunds", "normal", "answered", [],
    ),
    "proration-upgrade": (
        "aisha.okafor", DAY + 2 * HOUR,
        "How do I explain the extra charge after a mid-cycle plan upgrade?",
        "The customer upgraded on the 15th and was charged an amount that matches no price on "
        "our pricing page.",
        ["subscriptions"], "billing", "normal", "answered", [],
    ),
    "2fa-mobile-only": (
        "oscar.berg", 6 * HOUR,
        "Two-factor codes are rejected in the mobile app but accepted on the website",
        "Same account, same authenticator, a minute apart. Reinstalling the app did not help.",
        ["two-factor auth", "login"], "login", "normal", "answered", [],
    ),
    "webhooks-key-rotation": (
        "theo.laurent", 2 * DAY,
        "Webhooks stopped arriving after the customer rotated their API key",
        "Their endpoint now answers 401 to every delivery. Nothing else changed on their side.",
        ["account security"], "accounts", "normal", "answered", [],
    ),
    "chargeback-won": (
        "agent", 12 * DAY,
        "What do I tell a customer after we won the chargeback they opened?",
        "The bank closed the dispute in our favour and the customer is asking why the money "
        "was taken again.",
        ["chargebacks"], "billing", "normal", "accepted", [],
    ),
    "merge-active-subs": (
        "samir.nasser", 20 * DAY,
        "Can two accounts be merged when both have an active subscription?",
        "The customer signed up twice by mistake and pays for both.",
        ["accounts", "subscriptions"], "accounts", "normal", "accepted", [],
    ),
    "failed-deliveries-chat": (
        "grace.murphy", 9 * DAY,
        "How do I open a chat with a customer whose parcel failed delivery three times?",
        "They wrote in capitals before the chat even started.",
        ["live chat", "tone and empathy"], "tone", "normal", "accepted", [],
    ),
    "goodwill-above-50": (
        "hannah.weber", 30 * DAY,
        "Who approves a goodwill credit above EUR 50?",
        "The goodwill article says to ask a team lead, but not how, or who decides above that.",
        ["refunds", "complaints handling"], "refunds", "normal", "accepted", [],
    ),
    "stolen-2fa-phone": (
        "agent", 7 * DAY,
        "The customer's two-factor phone was stolen: which identity checks do we need?",
        "They can still read their email but have no backup codes.",
        ["account recovery", "two-factor auth"], "login", "customer_waiting", "accepted", [],
    ),
    "gdpr-not-owner": (
        "nadia.kowalski", 15 * DAY,
        "A deletion request came from someone who is not the account owner",
        "The email says they write on behalf of their father, who owns the account.",
        ["gdpr", "accounts"], "accounts", "normal", "accepted", [],
    ),
    "partial-return-shipping": (
        "priya.shah", 25 * DAY,
        "Do we refund the shipping cost when only part of an order is returned?",
        "The customer returns two of five items and wants the delivery charge back as well.",
        ["refunds", "returns"], "refunds", "normal", "promoted", [],
    ),
    # Only the Escalations team (and KB editors) may read this one.
    "press-enquiry": (
        "lukas.novak", 3 * DAY,
        "A journalist called about the rumoured data leak: who may talk to the press?",
        "They want a statement by 5 pm and asked for the name of our security lead.",
        ["escalation", "incident communication"], "escalations", "customer_waiting",
        "accepted", ["escalations"],
    ),
    "refund-time-card": (
        "leila.rahimi", 4 * DAY,
        "How many days until a refund shows on the customer's card?",
        "", ["refunds"], "refunds", "normal", ("deflected", "kb", "refund-policy-faq"), [],
    ),
    "no-vat-invoice": (
        "amara.eze", 10 * DAY,
        "Customer asks why their business invoice has no VAT on it",
        "", ["vat"], "invoices", "normal", ("deflected", "kb", "reverse-charge-vat-faq"), [],
    ),
    "chargeback-won-again": (
        "ines.costa", 6 * DAY,
        "Chargeback closed in our favour: how do I explain it to the customer?",
        "", ["chargebacks"], "billing", "normal", ("deflected", "question", "chargeback-won"),
        [],
    ),
    "billing-console-down": (
        "elena.petrova", 8 * DAY,
        "Is the billing console down for everyone or only for me?",
        "It shows a blank page after log-in since 10:15.",
        ["payments"], "billing", "customer_waiting", "closed", [],
    ),
    "sso-redirect-loop": (
        "ben.clarke", 18 * DAY,
        "Single sign-on keeps sending one customer back to the log-in page",
        "Other users of the same company log in fine.",
        ["sso", "login"], "login", "normal", "closed", [],
    ),
}  # fmt: skip

# key: [(answerer, minutes after the question, body, accepted)], oldest first.
ANSWERS: dict[str, list[tuple]] = {
    "refund-other-card": [
        ("mei.chen", 25,
         "We can only refund to the original payment method: the card schemes require it. If "
         "that card is closed, the bank passes the refund on to the new one (see *Refund to a "
         "closed or expired card*).", False),
        ("manager", 90,
         "Agree with Mei. If the customer insists, offer store credit instead and note it on "
         "the ticket.", False),
    ],
    "proration-upgrade": [
        ("priya.shah", 40,
         "An upgrade charges the price difference for the days left in the cycle: upgrading "
         "halfway through costs half the difference now. Point them to the **Proration** line "
         "on the invoice.", False),
    ],
    "2fa-mobile-only": [
        ("ravi.iyer", 12,
         "Check the phone's clock: the app checks codes against the device time. Ask them to "
         "turn on automatic date and time, then try again.", False),
    ],
    "webhooks-key-rotation": [
        ("noah.dubois", 50,
         "Rotating the API key also regenerates the webhook signing secret. They need to copy "
         "the new secret into their endpoint's configuration.", False),
    ],
    "chargeback-won": [
        ("mei.chen", 18,
         "Stay neutral: the bank reviewed the evidence from both sides and closed the dispute in "
         "our favour, so the charge stands. Don't argue the case again; ask what made them "
         "dispute it and help with that. *Responding to a chargeback* lists the evidence.",
         True),
        ("elena.petrova", 45,
         "Also check whether they still have an active subscription: some cancel right after, "
         "and a goodwill gesture can keep them.", False),
    ],
    "merge-active-subs": [
        ("ravi.iyer", 35,
         "Not directly. Cancel one subscription at the end of its period first (refund the "
         "unused days if they ask), then merge: the merge tool refuses two live "
         "subscriptions.", True),
    ],
    "failed-deliveries-chat": [
        ("editor", 20,
         "Lead with the fix, not the apology: \"I have rebooked your delivery for tomorrow, "
         "with a one-hour window.\" Then acknowledge the trouble once. *Writing good live chat "
         "replies* has more openers.", True),
        ("kwame.mensah", 60,
         "If they are already angry, name the frustration first: \"Three missed deliveries is "
         "not OK.\"", False),
    ],
    "goodwill-above-50": [
        ("manager", 30,
         "Your team lead, in the ticket: add the amount and the reason, and assign it to the "
         "lead's queue. Above EUR 200 it goes to the head of support.", True),
    ],
    "stolen-2fa-phone": [
        ("mentor", 6,
         "Use the checklist in *Recovering an account without 2FA device*: two of the last "
         "four card digits, the billing postcode and the date of the last order. Never reset "
         "two-factor on an email request alone.", True),
    ],
    "gdpr-not-owner": [
        ("aisha.okafor", 80,
         "We only act on the owner's request. Reply that we cannot discuss the account and ask "
         "the owner to write from the account's email address. A legal representative's "
         "request goes to the privacy team.", True),
    ],
    "partial-return-shipping": [
        ("manager", 45,
         "No, unless the return is our fault (a wrong or faulty item): then refund the full "
         "shipping cost too. For a partial return by choice the shipping stays charged; say "
         "so before they send anything back.", True),
    ],
    "press-enquiry": [
        ("kwame.mensah", 9,
         "Nobody on our team. Take their name and deadline, say communications will call back, "
         "and page the incident lead. Never confirm or deny anything.", True),
    ],
    "billing-console-down": [
        ("ravi.iyer", 15, "It was an outage, fixed at 10:40. The status page has the details.",
         False),
    ],
}  # fmt: skip

# (key, answer number or None for the question, voter, +1 or -1)
VOTES = [
    ("refund-other-card", None, "elena.petrova", 1),
    ("refund-other-card", 0, "hannah.weber", 1),
    ("refund-other-card", 0, "chloe.martin", 1),
    ("refund-other-card", 1, "agent", 1),
    ("2fa-mobile-only", 0, "tom.becker", 1),
    ("2fa-mobile-only", 0, "samir.nasser", 1),
    ("webhooks-key-rotation", 0, "samir.nasser", 1),
    ("chargeback-won", None, "priya.shah", 1),
    ("chargeback-won", None, "hannah.weber", 1),
    ("chargeback-won", 0, "priya.shah", 1),
    ("chargeback-won", 0, "hannah.weber", 1),
    ("chargeback-won", 0, "manager", 1),
    ("chargeback-won", 1, "chloe.martin", 1),
    ("merge-active-subs", 0, "tom.becker", 1),
    ("merge-active-subs", 0, "oscar.berg", 1),
    ("failed-deliveries-chat", 0, "nadia.kowalski", 1),
    ("failed-deliveries-chat", 0, "yuki.tanaka", 1),
    ("failed-deliveries-chat", 1, "zara.khan", 1),
    ("goodwill-above-50", None, "leila.rahimi", 1),
    ("goodwill-above-50", 0, "leila.rahimi", 1),
    ("goodwill-above-50", 0, "amara.eze", 1),
    ("goodwill-above-50", 0, "priya.shah", 1),
    ("stolen-2fa-phone", 0, "agent", 1),
    ("stolen-2fa-phone", 0, "diego.alvarez", 1),
    ("stolen-2fa-phone", 0, "noah.dubois", 1),
    ("gdpr-not-owner", 0, "sofia.rossi", 1),
    ("gdpr-not-owner", 0, "grace.murphy", 1),
    ("partial-return-shipping", None, "agent", 1),
    ("partial-return-shipping", 0, "agent", 1),
    ("partial-return-shipping", 0, "mei.chen", 1),
    ("partial-return-shipping", 0, "hannah.weber", 1),
    ("press-enquiry", 0, "felix.schmidt", 1),
    ("press-enquiry", 0, "omar.farouk", 1),
    ("billing-console-down", None, "mei.chen", -1),
]

# (key, answer number or None for the question, author, minutes after the question, body)
COMMENTS = [
    ("norway-claims", None, "sofia.rossi", 30, "Following: I have the same case this week."),
    ("refund-other-card", 0, "priya.shah", 40, "Thanks, the card was closed: that settles it."),
    ("chargeback-won", 0, "agent", 60,
     "Thanks, I used this almost word for word and the customer was fine."),
    ("stolen-2fa-phone", 0, "diego.alvarez", 30,
     "Also log out all their sessions after the reset."),
    ("failed-deliveries-chat", None, "nadia.kowalski", 15, "Great question, I get these daily."),
    ("press-enquiry", 0, "ivan.ivanov", 30, "Log the call on the incident ticket as well."),
    ("sso-redirect-loop", None, "mentor", 20,
     "This is the case in *Single sign-on keeps redirecting*: clearing the domain's session "
     "fixes it. Closing."),
    ("partial-return-shipping", 0, "editor", 120,
     "Worth an FAQ: I have turned this into an article."),
]  # fmt: skip

# key: (old title, old details, minutes after the question): the asker's edit, kept as history.
EDITS = {
    "vat-after-payment": (
        "VAT number missing from a paid invoice",
        "A customer paid without a VAT number and now wants it on the invoice.",
        10,
    ),
}

# The question promoted into a knowledge-base FAQ: who promoted it (and approved the FAQ).
PROMOTED_BY = "editor"
