from .evaluate import check_dataset

__all__ = ["check_dataset"]
