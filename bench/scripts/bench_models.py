"""Small classes for the scikit-learn-like workload. A module of their own (not __main__), so the
CPython timing script can import them when it loads the pickles."""


class Stump:
    """A fitted one-feature model, like the small estimator objects a scikit-learn ensemble holds."""

    def __init__(self, feature, threshold, coef, intercept, classes, name):
        self.feature = feature
        self.threshold = threshold
        self.coef_ = coef
        self.intercept_ = intercept
        self.classes_ = classes
        self.name = name
        self.n_features_in_ = 4
        self.fitted = True
