G#include <vector>
template <typename T> class S { std::vector<T> v; /* x */ };
