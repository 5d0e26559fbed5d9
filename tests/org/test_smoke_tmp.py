def test_smoke(world):
    assert world.ent_karamay.credit_code[2:8] == "650203"
    assert world.tianshan_officer.scope.prefix == "650102"
    assert world.enterprise_user.scope.enterprise_ids == frozenset({world.ent_tianshan.pk})
