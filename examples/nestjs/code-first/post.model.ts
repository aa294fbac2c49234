import { Directive, Extensions, Field, ID, ObjectType } from '@nestjs/graphql';

// Every field of Post needs `posts.read` (the type's directive), but `notes`,
// whose requirement sits in graphql-js `extensions` instead: `posts.review`.
// Types are given explicitly in every decorator: tsx (esbuild) emits no decorator metadata.
@ObjectType()
@Directive('@scope(resource: "posts")')
export class Post {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Boolean)
  published!: boolean;

  @Field(() => String, { nullable: true })
  @Extensions({ scope: { resource: 'posts', action: 'review' } })
  notes!: string;
}
