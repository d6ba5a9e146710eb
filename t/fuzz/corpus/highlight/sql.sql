OSELECT "a", 'b' FROM t -- c
