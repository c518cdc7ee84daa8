"""Recognition in the admin: every model. Values, badges, awards, the reward catalogue and
people's allowances (their wallets) are settings and are edited here. What people did (kudos,
reactions, comments, praise, badge awards, redemptions, nominations) is made on the site,
where the services hold the rules; here it is looked at, and moved on only through the same
services: moderating a reported kudos, deciding a redemption or a nomination, as list actions
and as the one field of the row's page.

A kudos's recipients and points are never edited: allowances and balances are sums over them.
"""

from recognition.admin import awards, kudos, praise, rewards  # noqa: F401 (registers them)
