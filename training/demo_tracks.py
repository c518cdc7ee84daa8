"""Texts of the demo training (see `training.demo`): the tracks a customer-service
organisation trains, built from the demo knowledge base."""

from __future__ import annotations

# slug: (title, description, skills, minutes, owner, article slugs, quiz, task)
# quiz: [(question, [(option, correct), ...], explanation)]; task: (title, instructions, confirm)
TRACKS = {
    "active-listening-and-communication": (
        "Active listening and communication",
        "Hear what the customer needs the first time, and say what happens next so they never "
        "have to ask twice. For every agent in their first months.",
        ["active listening", "live chat", "tone and empathy"], 60, "editor",
        ["active-listening", "chat-reply-style", "saying-no-positively"],
        [
            ("What do you do right after the customer finishes explaining?",
             [("Play it back in one sentence", True), ("Start the fix straight away", False),
              ("Read the macro", False)],
             "Playing it back shows you heard them and catches misunderstandings early."),
            ("Which make a good chat reply?",
             [("One idea per message", True), ("Saying when you go quiet", True),
              ("A macro sent unchanged", False)],
             "Short messages at the pace of a conversation; change a macro's first line."),
        ],
        ("Listen to one of your calls",
         "Pick one recorded call from this week. Write down where you played the customer's "
         "words back, and one moment you could have listened longer.", False),
    ),
    "conflict-resolution-and-de-escalation": (
        "Conflict resolution and de-escalation",
        "Calm an angry caller, know when to escalate, and keep the case safe when a regulator "
        "is involved.",
        ["de-escalation", "escalation"], 75, "editor",
        ["angry-caller", "when-to-escalate", "regulator-complaint"],
        [
            ("An angry caller raises their voice. What comes first?",
             [("Acknowledge the feeling", True), ("Quote the policy", False),
              ("Transfer the call", False)],
             "People calm down once they feel heard; the policy can come after."),
            ("When do you escalate?",
             [("A customer threatens legal action", True), ("A refund takes 3 days", False)],
             "Legal threats, regulators and safety always go to Escalations."),
        ],
        ("Shadow an escalation", "Sit in on one escalated case and note the phrases that "
         "turned the conversation.", True),
    ),
    "empathy-and-emotional-intelligence": (
        "Empathy and emotional intelligence",
        "Say sorry so it sounds meant, say no without losing the customer, and make a macro "
        "sound like you.",
        ["tone and empathy"], 45, "grace.murphy",
        ["saying-sorry", "saying-no-positively", "personalising-macros"],
        [
            ("A good apology…",
             [("names what went wrong", True), ("blames the courier", False)],
             "Own the problem, whoever caused it."),
        ],
        ("Rewrite a macro", "Take the macro you use most and personalise its first and last "
         "line. Paste both versions.", False),
    ),
    "product-knowledge-billing": (
        "Product knowledge: billing",
        "Refunds, subscriptions and invoices: the billing questions customers ask most.",
        ["refunds", "invoicing"], 90, "manager",
        ["refund-a-double-charge", "partial-refunds", "refund-policy-faq", "cancel-subscription"],
        [
            ("How long does a card refund take?",
             [("3-5 working days", True), ("Same day", False), ("Up to 10 days", False)],
             "Card refunds take 3-5 working days; bank transfers up to 10."),
            ("A customer was charged twice. Which charge do you refund?",
             [("The later one, in full", True), ("Both", False), ("The earlier one", False)],
             "Refund the later charge; the first one paid for the order."),
        ],
        ("Handle a refund ticket", "Resolve one refund ticket end to end and paste the ticket "
         "number with a line on what you checked.", True),
    ),
    "mentor-training": (
        "Mentor training",
        "Coaching, active listening and giving constructive feedback: what every mentor "
        "completes before taking a mentee.",
        ["coaching", "active listening", "feedback"], 90, "mentor",
        ["coaching-conversations", "giving-constructive-feedback", "active-listening"],
        [
            ("In a coaching conversation, who makes the plan?",
             [("The colleague being coached", True), ("The mentor", False)],
             "People keep the plans they make themselves."),
            ("Good feedback is…",
             [("specific", True), ("given within the week", True), ("saved for the review",
              False)],
             "Specific and soon; a year-end surprise helps nobody."),
        ],
        ("Give feedback with the SBI model", "Give one colleague feedback using situation, "
         "behaviour, impact and next step. Write down what you said and how it landed.", True),
    ),
    "api-troubleshooting-for-tech": (
        "API troubleshooting for technical support",
        "Read an API error, find the request in the logs, and know when it is ours to fix.",
        ["api troubleshooting"], 60, "mentor",
        ["sso-login-loop", "two-factor-codes-rejected"],
        [
            ("A customer gets HTTP 401 from the API. What do you check first?",
             [("Their API key and its scopes", True), ("Our status page", False)],
             "401 means the request was not authenticated: the key comes first."),
        ],
        ("Trace one API ticket", "Find the failing request of one API ticket in the logs and "
         "write down what it told you.", False),
    ),
    "escalations-handbook": (
        "Escalations handbook",
        "Everything a new member of the escalations team needs in their first week.",
        ["escalation"], 120, "editor",
        ["when-to-escalate", "case-handover-notes"],
        [
            ("Who answers a regulator's letter?",
             [("Complaints, the same day", True), ("The agent who got it", False)],
             "Forward it the same day; never reply to the regulator yourself."),
        ],
        ("Write a handover note", "Write the handover note of one case you closed.", False),
    ),
}  # fmt: skip

# slug: (title, kind, presenter, days from now, hours long, capacity, location, video,
#        skills, teams, agenda, notes); negative days are past sessions.
SESSIONS = {
    "refund-war-stories": (
        "Refund war stories", "presentation", "agent", 3, 1, 4, "Room 2 (Harbour)", "",
        ["refunds"], [],
        "The three strangest refunds of the quarter, and what we changed because of them.", "",
    ),
    "de-escalation-roundtable": (
        "De-escalation roundtable", "roundtable", "mentor", 6, 1.5, 12, "",
        "https://meet.huddle.example/de-escalation", ["de-escalation"], [],
        "Bring one call that went wrong and one that went right.", "",
    ),
    "macro-writing-workshop": (
        "Macro writing workshop", "workshop", "editor", 10, 2, 8, "Training room", "",
        ["tone and empathy", "macros"], ["billing", "success"],
        "Hands-on: rewrite five macros together; laptops needed.", "",
    ),
    "chargebacks-101": (
        "Chargebacks 101", "presentation", "manager", -7, 1, 20, "Room 1", "",
        ["chargebacks", "refunds"], [],
        "How a chargeback flows, the deadlines, and the evidence that wins.",
        "## Key points\n\n- We have **7 days** to answer a chargeback.\n- Evidence that wins: "
        "delivery proof, the customer's own messages, the refund policy they accepted.\n- "
        "Never refund an order that is already in a chargeback: it pays out twice.\n",
    ),
    "angry-callers-in-practice": (
        "Angry callers: de-escalation in practice", "presentation", "kwame.mensah", -21, 1, 15,
        "Room 3 (Lighthouse)", "", ["de-escalation", "complaints handling"], [],
        "Five recorded calls, what calmed them down and what made them worse.",
        "## What works\n\n- Name the feeling before the fix.\n- Say what you *can* do first.\n"
        "- Offer a call-back time and keep it.\n",
    ),
    "sso-troubleshooting-clinic": (
        "SSO troubleshooting clinic", "workshop", "mentor", -14, 1, 10, "",
        "https://meet.huddle.example/sso", ["account recovery"], [],
        "Live debugging of SSO login loops.", "",
    ),
}  # fmt: skip

# Tracks not open to everyone: a draft, and one only for the teams named.
TRACK_SETTINGS = {
    "api-troubleshooting-for-tech": {"visibility": "teams", "teams": ["tech"]},
    "escalations-handbook": {"status": "draft"},
}

# The sessions that are an "attend" step of a track.
SESSION_STEPS = {
    "conflict-resolution-and-de-escalation": ["de-escalation-roundtable"],
    "product-knowledge-billing": ["chargebacks-101"],
}
