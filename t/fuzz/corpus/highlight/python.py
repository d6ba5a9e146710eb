Pdef f(x):
    """doc
    string"""
    return x ** 2  # c
