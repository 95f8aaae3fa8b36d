# Amounts on Chinese pages are grouped by thousands with a comma (5,000,000.00), as the bureau's
# financial statements write them; Django's zh_Hans default is no separator at all.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
