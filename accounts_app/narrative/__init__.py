"""The text half of a disclosure: drafts of 情况说明, checks of what people write, forms."""
